package dev.mqttkit.testing;

import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says on the console why each skipped test was skipped: Maven's test runners count skips without their reasons.
 * A test skipped because the broker lacks something ({@link MosquittoBroker#assumeSupports}) or disabled with a
 * reason prints one INFO line, {@code Skipped <test>: <reason>}. Registered as a JUnit Platform listener by the
 * kit's {@code META-INF/services}; nothing to set up.
 */
public final class SkipReasons implements TestExecutionListener {

    private static final Logger LOG = LoggerFactory.getLogger(SkipReasons.class);

    /** Made by the JUnit Platform. */
    public SkipReasons() {
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        LOG.info("Skipped {}: {}", name(test), reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            Optional<Throwable> why = result.getThrowable();
            LOG.info("Skipped {}: {}", name(test), why.map(Throwable::getMessage).orElse("(no reason given)"));
        }
    }

    private static String name(TestIdentifier test) {
        return test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(source -> source.getClassName().substring(source.getClassName().lastIndexOf('.') + 1) + "."
                        + test.getDisplayName())
                .orElse(test.getDisplayName());
    }
}
