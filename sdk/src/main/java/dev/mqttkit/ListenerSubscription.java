package dev.mqttkit;

import dev.mqttkit.topic.TopicFilter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/** A listener registered on a filter; closing it asks the owning client to remove it. */
final class ListenerSubscription implements Subscription {

    private final TopicFilter filter;
    private final Qos qos;
    private final MessageListener listener;
    private final Consumer<ListenerSubscription> onClose;
    private final Function<String, Qos> granted;
    private final Predicate<String> refused;
    private final AtomicBoolean active = new AtomicBoolean(true);

    ListenerSubscription(TopicFilter filter, Qos qos, MessageListener listener, Consumer<ListenerSubscription> onClose,
            Function<String, Qos> granted, Predicate<String> refused) {
        this.filter = filter;
        this.qos = qos;
        this.listener = listener;
        this.onClose = onClose;
        this.granted = granted;
        this.refused = refused;
    }

    @Override
    public boolean isRefused() {
        return isActive() && refused.test(filter.toString());
    }

    @Override
    public String filter() {
        return filter.toString();
    }

    TopicFilter topicFilter() {
        return filter;
    }

    @Override
    public Qos qos() {
        return qos;
    }

    @Override
    public Optional<Qos> grantedQos() {
        return isActive() ? Optional.ofNullable(granted.apply(filter.toString())) : Optional.empty();
    }

    MessageListener listener() {
        return listener;
    }

    @Override
    public boolean isActive() {
        return active.get();
    }

    void deactivate() {
        active.set(false);
    }

    @Override
    public void close() {
        if (active.compareAndSet(true, false)) {
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + filter + ", qos=" + qos.value() + (isActive() ? "" : ", closed")
                + (isRefused() ? ", refused" : "") + "]";
    }
}
