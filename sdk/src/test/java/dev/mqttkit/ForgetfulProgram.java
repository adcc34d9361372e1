package dev.mqttkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A student's program in a process of its own, for {@link ForgottenStopIT}: it connects, publishes without
 * waiting, and returns from {@code main} without calling {@code stop()}. Test code, not a sample.
 *
 * <p>Arguments: {@code publish <uri> <clientId> <topic>}, or {@code twins <uri> <clientId>}: two clients with the
 * same id, which knock each other off until the duplicate-id WARN has had time to come, then {@code main} returns.
 */
final class ForgetfulProgram {

    private ForgetfulProgram() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("publish")) {
            MyMqtt client = MyMqtt.builder().serverUri(args[1]).clientId(args[2]).build();
            client.start();
            client.publish(args[3], "bye", Qos.AT_LEAST_ONCE, false); // not joined, and no stop()
        } else {
            MyMqtt.Builder twin = MyMqtt.builder().serverUri(args[1]).clientId(args[2])
                    .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200));
            twin.build().start();
            twin.build().start();
            // time for the two to fight: the WARN comes after three quick drops of one of them
            new java.util.concurrent.CountDownLatch(1).await(6, TimeUnit.SECONDS);
        }
        System.out.println("MAIN RETURNS");
    }
}
