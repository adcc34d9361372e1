package dev.mqttkit;

import dev.mqttkit.internal.ClientCounters;
import dev.mqttkit.internal.Logs;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * Who gets a message, and what happens when user code throws: a listener, the notifier, the error listener or the
 * connection listener. All of it runs on the client's dispatch thread.
 *
 * <p>A message goes to every listener whose filter matches it, in subscription order, or to the notifier when
 * none matches (or is logged at WARN when there is no notifier). A listener or the notifier that throws is logged
 * and reported to the error listener, and the next listener still runs; a payload a typed listener cannot decode
 * goes to the error listener, or is logged at WARN when there is none; an error or connection listener that throws
 * is logged. Nothing user code throws stops the client, except a {@link VirtualMachineError}.
 */
final class Delivery {

    private static final Logger LOG = Logs.get(Delivery.class);

    private final String clientId;
    private final SubscriptionRegistry registry;
    private final Notifier notifier;
    private final ErrorListener errorListener;
    private final ConnectionListener connectionListener;
    private final ClientCounters counters;

    Delivery(String clientId, SubscriptionRegistry registry, Notifier notifier, ErrorListener errorListener,
            ConnectionListener connectionListener, ClientCounters counters) {
        this.clientId = clientId;
        this.counters = counters;
        this.registry = registry;
        this.notifier = notifier;
        this.errorListener = errorListener;
        this.connectionListener = connectionListener;
    }

    /** Runs the listeners a message matches, or the notifier. */
    void deliver(Message message) {
        deliver(message, null);
    }

    /**
     * Runs the listeners a message matches but those {@code excluded} (a retained message replayed for another
     * listener's new subscription), or the notifier when it matches none.
     */
    void deliver(Message message, Predicate<ListenerSubscription> excluded) {
        if (excluded == ReplayGuard.DROP) {
            LOG.debug("Client [{}]: a copy of the message on [{}] (the broker sent one per matching subscription)",
                    clientId, message.topic());
            return;
        }
        List<ListenerSubscription> targets = registry.match(message.topic());
        if (targets.isEmpty() && message.topic().startsWith("$")) {
            // wildcards do not match topics starting with '$' (section 4.7.2), but some brokers deliver them
            // anyway (NATS sends its own $JS traffic to a '#' subscriber): not for anyone here
            LOG.debug("Client [{}]: the message on [{}] matches no listener (MQTT 3.1.1 section 4.7.2)", clientId,
                    message.topic());
            return;
        }
        if (targets.isEmpty()) {
            if (notifier != null) {
                invoke(null, message, () -> notifier.notify(message.topic(), message.payload()));
            } else {
                LOG.warn("No listener for the message on [{}] ({} bytes) of client [{}]: subscribe a listener to it "
                        + "or give the client a notifier", message.topic(), message.payloadSize(), clientId);
            }
            return;
        }
        for (ListenerSubscription target : targets) {
            if (excluded == null || !excluded.test(target)) {
                invoke(target, message, () -> target.listener().onMessage(message));
            }
        }
    }

    /** Tells the connection listener about an event. */
    void connectionEvent(Consumer<ConnectionListener> event) {
        try {
            event.accept(connectionListener);
        } catch (RuntimeException e) {
            LOG.error("The connection listener of client [{}] threw", clientId, e);
        }
    }

    /** A filter the broker refused when it was restored: logged, and reported to the error listener. */
    void refused(SubscriptionRefusedException refused) {
        LOG.warn("Client [{}]: {} Its listeners stay registered and receive nothing; Subscription.isRefused() "
                + "is true.", clientId, refused.getMessage());
        report(null, refused);
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private void invoke(ListenerSubscription target, Message message, Call call) {
        try {
            call.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable error) {
            if (error instanceof PayloadDecodingException decoding) {
                counters.decodeError();
                // a publisher's mistake, not this program's: told once, to the hook if there is one
                if (errorListener == null) {
                    LOG.warn("Client [{}]: {}", clientId, decoding.getMessage());
                } else {
                    LOG.debug("Client [{}]: {}", clientId, decoding.getMessage());
                }
            } else {
                counters.listenerError();
                String who = target == null ? "The notifier" : "The listener on [" + target.filter() + "]";
                LOG.error("{} threw on the message on [{}] of client [{}]", who, message.topic(), clientId, error);
            }
            report(message, error);
        }
    }

    private void report(Message message, Throwable error) {
        if (errorListener == null) {
            return;
        }
        try {
            errorListener.onError(message, error);
        } catch (RuntimeException hookError) {
            LOG.error("The error listener of client [{}] threw", clientId, hookError);
        }
    }
}
