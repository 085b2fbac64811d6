package dev.ringbuf.jcstress.gate;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * Runs jcstress and turns its verdict into an exit status, so that a build fails when a race test fails.
 *
 * <p>jcstress 0.16 ends with an {@link AssertionError} (so a non-zero exit status) when a test saw a FORBIDDEN
 * outcome or failed with an error, but it exits with status 0 when a selected test never ran (it needs more CPUs
 * than the machine has, or no VM configuration could be started) and prints no per-test sample counts. This gate
 * runs jcstress with
 * the given arguments (the same as {@code org.openjdk.jcstress.Main}'s), then reads back the result file it wrote
 * ({@code jcstress-results-<timestamp>.bin.gz} in the working directory) and exits with status 1 if any selected
 * test
 * <ul>
 *   <li>has an outcome graded FORBIDDEN (or an unlisted one),</li>
 *   <li>ended in an error status (the test threw, timed out, or its VM failed), or</li>
 *   <li>produced no samples, or did not run at all although the machine has a CPU for each of its actors.</li>
 * </ul>
 * With {@code -p FILE} it grades an earlier run's result file instead of running; with {@code -l} it lists the
 * selected tests. A test with more actors than jcstress has CPUs cannot be scheduled: it is listed as skipped, not failed, so that
 * the build passes on a 2-CPU machine and runs such a test wherever there are enough CPUs.
 *
 * <pre>{@code
 * java -cp <class path> dev.ringbuf.jcstress.gate.JcstressGate -m quick -r target/jcstress-results
 * }</pre>
 */
public final class JcstressGate {

    private JcstressGate() {
    }

    /**
     * Runs jcstress with {@code args} and exits with 0 if every selected test passed, 1 otherwise.
     *
     * @param args jcstress options
     * @throws Exception if jcstress itself fails
     */
    public static void main(String[] args) throws Exception {
        final Options options = new Options(args);
        if (!options.parse()) {
            System.exit(1);
        }
        final JCStress jcstress = new JCStress(options);
        final SortedSet<String> selected = jcstress.getTests();
        if (options.shouldList()) {
            selected.forEach(System.out::println);
            return;
        }
        AssertionError verdict = null;
        try {
            if (options.shouldParse()) {
                jcstress.parseResults(); // -p FILE: grade an earlier run's results again, without running anything
            } else {
                jcstress.run();
            }
        } catch (AssertionError testFailures) {
            verdict = testFailures; // jcstress's own list of failed tests, printed above; we check and count again
        }
        if (!new File(options.getResultFile()).isFile()) {
            System.out.println("JcstressGate: FAILED: jcstress wrote no result file " + options.getResultFile()
                    + " (see its output above)");
            System.exit(1);
        }
        final Collection<TestResult> results = readResults(options.getResultFile());
        final int cpus = options.getCPUCount();
        final List<String> skipped = new ArrayList<>();
        final Set<String> schedulable = new TreeSet<>();
        for (String name : selected) {
            final int actors = TestList.getInfo(name).threads();
            if (actors > cpus) {
                skipped.add(name + ": needs " + actors + " CPUs, jcstress had " + cpus);
            } else {
                schedulable.add(name);
            }
        }
        final List<String> failures = failures(schedulable, results);
        final PrintStream out = System.out;
        out.println();
        printSamples(out, results);
        skipped.forEach(skip -> out.println("JcstressGate: SKIPPED " + skip));
        if (schedulable.isEmpty() && !selected.isEmpty()) {
            out.println("JcstressGate: FAILED: none of the " + selected.size() + " selected tests can run on " + cpus
                    + " CPU(s). Run on a machine with at least 2 CPUs, or skip jcstress with -Djcstress.skip=true.");
            System.exit(1);
        }
        if (failures.isEmpty() && verdict == null) {
            out.println("JcstressGate: all " + schedulable.size() + " jcstress tests that could run passed ("
                    + skipped.size() + " skipped)");
            return;
        }
        out.println("JcstressGate: " + failures.size() + " of " + schedulable.size() + " jcstress tests FAILED:");
        failures.forEach(failure -> out.println("  " + failure));
        if (verdict != null && failures.isEmpty()) {
            out.println("  (jcstress reported: " + verdict.getMessage() + ")");
        }
        System.exit(1);
    }

    /** One line per test: its samples in all, then per outcome. */
    private static void printSamples(PrintStream out, Collection<TestResult> results) {
        out.println("JcstressGate: samples per test (outcome=count)");
        for (TestResult result : results) {
            final StringBuilder line = new StringBuilder();
            line.append(String.format("  %-58s %,13d ", result.getName(), result.getTotalCount()));
            for (String outcome : new TreeSet<>(result.getStateKeys())) {
                line.append(" [").append(outcome).append("]=").append(result.getCount(outcome));
            }
            out.println(line);
        }
    }

    private static Collection<TestResult> readResults(String resultFile) throws IOException, ClassNotFoundException {
        final InProcessCollector collector = new InProcessCollector();
        final DiskReadCollector reader = new DiskReadCollector(resultFile, collector);
        try {
            reader.dump();
        } finally {
            reader.close();
        }
        return ReportUtils.mergedByName(collector.getTestResults());
    }

    /**
     * Describes each selected test that failed.
     *
     * @param selected names of the tests that should have run (results of other tests are ignored)
     * @param results their results, merged by name
     * @return one line per failed test, empty if all passed
     */
    static List<String> failures(Set<String> selected, Collection<TestResult> results) {
        final List<String> failures = new ArrayList<>();
        final Set<String> seen = new TreeSet<>();
        for (TestResult result : results) {
            final String name = result.getName();
            if (!selected.contains(name)) {
                continue;
            }
            seen.add(name);
            if (result.status() != Status.NORMAL) {
                final List<String> messages = result.getMessages();
                failures.add(name + ": " + result.status() + " " + messages.subList(0, Math.min(2, messages.size())));
            } else if (!ReportUtils.statusToPassed(result)) {
                failures.add(name + ": forbidden outcome " + result.grading().failureMessages);
            } else if (result.getTotalCount() == 0) {
                failures.add(name + ": no samples");
            }
        }
        for (String name : selected) {
            if (!seen.contains(name)) {
                failures.add(name + ": did not run");
            }
        }
        return failures;
    }
}
