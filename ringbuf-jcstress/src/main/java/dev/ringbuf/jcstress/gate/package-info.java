/**
 * The build's gate around jcstress: runs the race tests and fails the build when any of them failed, errored or did
 * not run.
 */
@NullMarked
package dev.ringbuf.jcstress.gate;

import org.jspecify.annotations.NullMarked;
