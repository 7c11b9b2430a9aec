#!/bin/bash
systemctl start orders
