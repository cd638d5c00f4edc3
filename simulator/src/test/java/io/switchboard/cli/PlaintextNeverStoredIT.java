package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import io.switchboard.simulator.e2ee.KeyServer;
import io.switchboard.simulator.e2ee.SignalDevices;
import io.switchboard.simulator.fault.ServerProcess;
import io.switchboard.simulator.net.DeviceSlots;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.message.CiphertextMessage;

/**
 * The server never sees plaintext (issue 17, item 4): a client that encrypts with Signal sessions sends messages whose
 * plaintext carries a unique marker to a user who stays offline, so the server keeps them (queue, journal); then the
 * server's data directory (journal, accounts, keys) and a heap dump of its process hold no trace of the marker, raw
 * or base64. The same messages sent as {@code plain} envelopes, its own control, leave the marker in both: the scan
 * would see it. The server runs as a process of its own, as a user runs it, so that its heap is its heap alone.
 */
@Tag("slow")
@Timeout(300)
class PlaintextNeverStoredIT {
    private static final int MESSAGES = 20;

    @TempDir
    Path dir;

    @Test
    void shouldKeepNoPlaintextInItsFilesOrItsHeapWhenClientsEncrypt() throws Exception {
        String marker = "never-stored-" + UUID.randomUUID();

        List<String> found = sendAndScan("signal", marker, true);

        assertThat(found).as("places holding the marker").isEmpty();
    }

    @Test
    void shouldFindThePlaintextMarkerInItsFilesAndHeapWhenClientsSendPlain() throws Exception {
        String marker = "stored-" + UUID.randomUUID();

        List<String> found = sendAndScan("plain", marker, false);

        assertThat(found).anyMatch(place -> place.startsWith("heap")).anyMatch(place -> place.startsWith("data"));
    }

    /** A fresh server; user 1 sends user 2 (never connected) {@link #MESSAGES} messages; where the marker shows. */
    private List<String> sendAndScan(String name, String marker, boolean encrypt) throws Exception {
        Path data = Files.createDirectories(dir.resolve(name + "-data"));
        ServerProcess server =
                ServerProcess.start(dir.resolve(name + ".log"), ServerProcess.freePort(), data, List.of());
        try {
            Map<Long, String> tokens = Map.of(1L, server.register(1), 2L, server.register(2));
            KeyServer keys = new KeyServer(server.http().toString(), (user, device) -> tokens.get(user));
            SignalDevices devices = new SignalDevices(7, 2, new DeviceSlots(1));
            SessionCipher cipher = null;
            if (encrypt) {
                keys.upload(1, 1, devices.registration(0, 5)).join();
                keys.upload(2, 1, devices.registration(1, 5)).join();
                var answer = keys.fetch(1, 1, 2, 0).join();
                new SessionBuilder(devices.store(0), devices.address(1))
                        .process(SignalDevices.bundle(
                                answer, answer.get("devices").get(0)));
                cipher = new SessionCipher(devices.store(0), devices.address(1));
            }
            try (TestClient sender = TestClient.connect(server.ws()).hello(1, 1, tokens.get(1L))) {
                for (int id = 1; id <= MESSAGES; id++) {
                    byte[] plaintext = (marker + " message " + id + " " + marker).getBytes(StandardCharsets.UTF_8);
                    String type = "plain";
                    byte[] body = plaintext;
                    if (cipher != null) {
                        CiphertextMessage sealed = cipher.encrypt(plaintext);
                        type = sealed.getType() == CiphertextMessage.PREKEY_TYPE ? "pkmsg" : "msg";
                        body = sealed.serialize();
                    }
                    sender.sendText("{\"t\":\"send\",\"id\":" + id
                            + ",\"to\":{\"user\":2},\"env\":[{\"device\":1,\"type\":\"" + type + "\",\"body\":\""
                            + Base64.getEncoder().encodeToString(body) + "\"}]}");
                    Frame ack = sender.next();
                    assertThat(ack.type()).isEqualTo(FrameType.ACK);
                    assertThat(ack.id()).isEqualTo(id);
                }
            }
            Path heap = dir.resolve(name + ".hprof");
            ServerProcess.run(server.jcmd(), Long.toString(server.pid()), "GC.heap_dump", heap.toString());
            List<String> found = new ArrayList<>();
            if (holds(Files.readAllBytes(heap), marker)) {
                found.add("heap dump");
            }
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (holds(Files.readAllBytes(file), marker)) {
                        found.add("data " + data.relativize(file));
                    }
                }
            }
            return found;
        } finally {
            server.stop();
        }
    }

    /** Whether {@code bytes} hold the marker as it is, or base64-encoded at any of the three alignments. */
    private static boolean holds(byte[] bytes, String marker) {
        List<byte[]> forms = new ArrayList<>();
        forms.add(marker.getBytes(StandardCharsets.US_ASCII));
        for (int shift = 0; shift < 3; shift++) {
            String encoded = Base64.getEncoder()
                    .withoutPadding()
                    .encodeToString(("xx".substring(0, shift) + marker).getBytes(StandardCharsets.US_ASCII));
            // Drop the characters that also encode the bytes around the marker: the rest encode the marker alone.
            forms.add(
                    encoded.substring(shift == 0 ? 0 : 4, encoded.length() - 4).getBytes(StandardCharsets.US_ASCII));
        }
        for (byte[] form : forms) {
            if (indexOf(bytes, form) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
