/**
 * The build's gate around jcstress: runs the race tests and fails the build when any of them failed, errored or did
 * not run.
 */
package dev.ringbuf.jcstress.gate;
