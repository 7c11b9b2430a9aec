#!/bin/bash
curl -fsS http://127.0.0.1:8080/health
