package dev.mqttkit.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Backs {@link MosquittoTest}: one default {@link MosquittoBroker} per test class. */
final class MosquittoTestExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback,
        ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MosquittoTestExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        MosquittoBroker broker = MosquittoBroker.builder().build();
        context.getStore(NAMESPACE).put(MosquittoBroker.class, broker);
        broker.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        MosquittoBroker broker = context.getStore(NAMESPACE).get(MosquittoBroker.class, MosquittoBroker.class);
        if (broker != null) {
            broker.beforeEach(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        MosquittoBroker broker = context.getStore(NAMESPACE).remove(MosquittoBroker.class, MosquittoBroker.class);
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MosquittoBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(MosquittoBroker.class, MosquittoBroker.class);
    }
}
