#!/bin/bash
cp /srv/orders/config.json /etc/orders/config.json
