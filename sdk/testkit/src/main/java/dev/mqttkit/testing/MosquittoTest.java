package dev.mqttkit.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a fresh broker with the default configuration (anonymous, no persistence) for the annotated test
 * class, on a free 127.0.0.1 port, and injects it as a {@link MosquittoBroker} parameter.
 *
 * <pre>{@code
 * @MosquittoTest
 * class ThermostatIT {
 *     @Test
 *     void publishesTemperature(MosquittoBroker broker) {
 *         try (MyMqtt mqtt = MyMqtt.builder().serverUri(broker.uri()).build()) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>For users, passwords, ACLs or persistence register a configured broker instead:
 * {@code @RegisterExtension static final MosquittoBroker BROKER = MosquittoBroker.builder()...build();}
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(MosquittoTestExtension.class)
public @interface MosquittoTest {
}
