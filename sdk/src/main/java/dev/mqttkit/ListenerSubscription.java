package dev.mqttkit;

import dev.mqttkit.topic.TopicFilter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** A listener registered on a filter; closing it asks the owning client to remove it. */
final class ListenerSubscription implements Subscription {

    private final TopicFilter filter;
    private final Qos qos;
    private final MessageListener listener;
    private final Consumer<ListenerSubscription> onClose;
    private final AtomicBoolean active = new AtomicBoolean(true);

    ListenerSubscription(TopicFilter filter, Qos qos, MessageListener listener, Consumer<ListenerSubscription> onClose) {
        this.filter = filter;
        this.qos = qos;
        this.listener = listener;
        this.onClose = onClose;
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
        return "Subscription[" + filter + ", qos=" + qos.value() + (isActive() ? "" : ", closed") + "]";
    }
}
