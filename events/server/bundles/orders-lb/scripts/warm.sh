#!/bin/bash
# Before the load balancer sends traffic: warm the caches.
curl -fsS http://127.0.0.1:8080/warm
