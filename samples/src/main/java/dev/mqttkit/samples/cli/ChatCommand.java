package dev.mqttkit.samples.cli;

import dev.mqttkit.samples.chat.Chat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Exercise 2: a chat on the topic chat where nobody writes twice in a row.",
                "Type a line and press enter to send it; /quit or the end of input leaves."})
final class ChatCommand extends SampleCommand {

    @Mixin
    TopicPrefix prefix;

    @Option(names = "--user", paramLabel = "NAME", required = true, description = "Your name in the chat.")
    String user;

    @Override
    int run(ConnectionOptions.Broker broker) {
        Chat chat = new Chat(user, client(broker, connection.clientId("chat")), prefix.value(), this::display);
        try {
            chat.start();
            display("Chatting on [" + prefix.value() + Chat.TOPIC + "] as " + user + ". Type a line and press enter; /quit leaves.");
            inBackground("mqttkit-samples-chat-input", () -> {
                BufferedReader input = new BufferedReader(new InputStreamReader(samples.input(), StandardCharsets.UTF_8));
                for (String line = input.readLine(); line != null; line = input.readLine()) {
                    if (line.strip().equals("/quit")) {
                        break;
                    }
                    if (!line.isBlank()) {
                        chat.send(line);
                    }
                }
                return 0;
            });
            return awaitEnd();
        } finally {
            chat.stop();
        }
    }
}
