package dev.mqttkit.samples.cli;

import dev.mqttkit.ConnectionListener;
import dev.mqttkit.MyMqtt;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every sample command shares: the connection options, the broker it opens (embedded or not), and the
 * wait until it is done: Ctrl-C, the end of its work, or a lost connection.
 */
abstract class SampleCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Samples samples;

    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public final Integer call() throws Exception {
        Thread hook = new Thread(this::interrupted, "mqttkit-samples-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ConnectionOptions.Broker broker = connection.open()) {
            return run(broker);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for this cleanup
            }
        }
    }

    /**
     * Runs the sample; the broker closes afterwards.
     *
     * @param broker the broker to use
     * @return the exit code
     * @throws Exception when the sample fails; {@link Errors} turns it into one sentence
     */
    abstract int run(ConnectionOptions.Broker broker) throws Exception;

    /** A client for this sample, whose lost connection ends the sample with one sentence saying why. */
    MyMqtt.Builder client(ConnectionOptions.Broker broker, String clientId) {
        return connection.client(broker.uri(), clientId).connectionListener(new ConnectionListener() {
            @Override
            public void onConnectionLost(String serverUri, Throwable cause) {
                if (!exit.isDone()) {
                    err().println(Errors.connectionLost(serverUri, clientId, cause));
                    end(Errors.FAILED);
                }
            }
        });
    }

    /** Waits until Ctrl-C, a lost connection or {@link #end(int)}. */
    int awaitEnd() {
        return exit.join();
    }

    /** Ends {@link #awaitEnd()} with this exit code, unless it has ended already. */
    void end(int code) {
        exit.complete(code);
    }

    /** Runs work on a thread of its own; its result, or its error as one sentence, ends {@link #awaitEnd()}. */
    void inBackground(String name, Callable<Integer> work) {
        Thread thread = new Thread(() -> {
            try {
                end(work.call());
            } catch (Exception e) {
                if (!exit.isDone()) {
                    Throwable error = Errors.unwrap(e);
                    err().println(Errors.describe(error, connection));
                    end(Errors.exitCode(error));
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    void display(String line) {
        out().println(line);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private void interrupted() {
        end(130);
        try {
            finished.await(10, TimeUnit.SECONDS); // let the sample disconnect cleanly before the JVM exits
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
