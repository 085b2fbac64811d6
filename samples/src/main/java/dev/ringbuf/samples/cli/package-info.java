/** A small command-line parser shared by the samples' programs: options with defaults, checked values, help. */
@NullMarked
package dev.ringbuf.samples.cli;

import org.jspecify.annotations.NullMarked;
