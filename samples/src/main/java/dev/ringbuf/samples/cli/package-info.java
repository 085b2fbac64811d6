/** A small command-line parser shared by the samples' programs: options with defaults, checked values, help. */
package dev.ringbuf.samples.cli;
