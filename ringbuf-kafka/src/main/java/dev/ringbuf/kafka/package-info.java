/** x */ package dev.ringbuf.kafka;
