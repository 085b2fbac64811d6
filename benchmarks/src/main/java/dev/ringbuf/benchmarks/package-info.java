/**
 * JMH benchmarks of ringbuf against its peers: raw throughput ({@link dev.ringbuf.benchmarks.RawThroughput}), Flux
 * throughput ({@link dev.ringbuf.benchmarks.FluxThroughput}), what a producer and a consumer pay alone
 * ({@link dev.ringbuf.benchmarks.ProducerCost}, {@link dev.ringbuf.benchmarks.ConsumerCost}) and one-way latency at a
 * fixed rate ({@link dev.ringbuf.benchmarks.Latency}). Every workload validates every record.
 *
 * <pre>
 * benchmarks/run.sh                                                    # the whole suite, writes docs/benchmarks.md
 * java -jar benchmarks/target/benchmarks.jar RawThroughput -p impl=ringbuf,agrona-mpsc -prof gc   # one workload
 * </pre>
 */
@NullMarked
package dev.ringbuf.benchmarks;

import org.jspecify.annotations.NullMarked;
