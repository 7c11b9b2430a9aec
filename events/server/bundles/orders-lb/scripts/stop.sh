#!/bin/bash
systemctl stop orders || true
