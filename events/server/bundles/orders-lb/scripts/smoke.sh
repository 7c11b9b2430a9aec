#!/bin/bash
# Behind the load balancer again: one request through the application.
rm -f /srv/orders/.draining
curl -fsS http://127.0.0.1:8080/health
