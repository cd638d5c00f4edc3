package io.switchboard.simulator.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * A worker's part of a run with {@code --workers} ({@code partial.json}): what its {@link RunOutcome} holds that the
 * parent sums or merges, its latency histograms in HdrHistogram's compressed form (base64), and its oracle's counts.
 * {@link #merge} makes the run's one outcome of every worker's: counts summed, histograms added, the per-second series
 * added second by second, the drain as long as the longest. The server's counters are not in it: the parent scrapes
 * them over the whole run, from the one server.
 *
 * <p>A worker runs against a server in another process, so its outcome has no heap census, no count of what the
 * server still held, no resource trend and no phones (all refused or not measured there): the merged outcome has none
 * either.
 */
final class WorkerPartial {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerPartial() {}

    static void write(Path file, RunOutcome outcome) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        Oracle.OracleCounts oracle = outcome.oracle();
        ObjectNode counts = json.putObject("oracle");
        counts.put("sent", oracle.sent());
        counts.put("acked", oracle.acked());
        counts.put("delivered", oracle.delivered());
        counts.put("lost", oracle.lost());
        counts.put("redelivered", oracle.redelivered());
        counts.put("duplicatesInSession", oracle.duplicatesInSession());
        counts.put("duplicatesToApp", oracle.duplicatesToApp());
        counts.put("reordered", oracle.reordered());
        counts.put("receiptErrors", oracle.receiptErrors());
        counts.put("sendErrors", oracle.sendErrors());
        counts.putPOJO("sendErrorsByCode", oracle.sendErrorsByCode());
        counts.put("neverAcked", oracle.neverAcked());
        counts.put("refused", oracle.refused());
        counts.put("withheld", oracle.withheld());
        counts.put("unreadable", oracle.unreadable());
        json.put("windowSent", outcome.windowSent());
        json.put("windowSentToOffline", outcome.windowSentToOffline());
        json.put("windowAcked", outcome.windowAcked());
        json.put("windowDelivered", outcome.windowDelivered());
        json.put("deliveriesInWindow", outcome.deliveriesInWindow());
        json.put("send2deliver", encode(outcome.send2deliver()));
        json.put("send2ack", encode(outcome.send2ack()));
        json.put("send2receipt", encode(outcome.send2receipt()));
        json.put("sendLag", encode(outcome.sendLag()));
        ArrayNode perSecond = json.putArray("perSecond");
        outcome.perSecond().forEach(histogram -> perSecond.add(encode(histogram)));
        ArrayNode timeline = json.putArray("timeline");
        outcome.timeline().forEach(row -> timeline.add(JSON.valueToTree(row)));
        json.put("durationSec", outcome.durationSec());
        json.put("drainSec", outcome.drainSec());
        json.put("drainSettled", outcome.drainSettled());
        RunOutcome.GroupFigures groups = outcome.groups();
        if (groups != null) {
            ObjectNode figures = json.putObject("groups");
            figures.put("count", groups.count());
            figures.put("largest", groups.largest());
            figures.put("memberships", groups.memberships());
            figures.putPOJO("changes", groups.changes());
        }
        json.putPOJO("presence", outcome.presence().toJson());
        json.put("receiptsSentAgain", outcome.receiptsSentAgain());
        ArrayNode outages = json.putArray("outages");
        for (Outages.Outage outage : outcome.outages()) {
            ObjectNode entry = outages.addObject();
            entry.put("kind", outage.kind);
            entry.put("atSec", outage.atSec);
            entry.put("ackedBefore", outage.ackedBefore);
            entry.put("unacknowledged", outage.unacknowledged);
            entry.put("recoveryMs", outage.recoveryMs);
            entry.put("closed", outage.closed);
            entry.put("back", outage.back);
            entry.put("allBackMs", outage.allBackMs);
            entry.put("sentAgain", outage.sentAgain);
            entry.put("welcomeMs", encode(outage.welcomeMs));
            entry.putPOJO("details", outage.details);
        }
        json.putPOJO("client", outcome.client());
        JSON.writeValue(file.toFile(), json);
    }

    /** The run's outcome from its workers' partial files, in worker order; {@code server} is the parent's scrape. */
    static RunOutcome merge(List<Path> files, ServerFigures server) throws IOException {
        List<JsonNode> parts = new ArrayList<>();
        for (Path file : files) {
            parts.add(JSON.readTree(file.toFile()));
        }
        return mergeParts(parts, server);
    }

    static RunOutcome mergeParts(List<JsonNode> parts, ServerFigures server) {
        Map<String, Long> errorsByCode = new TreeMap<>();
        parts.forEach(part -> part.path("oracle")
                .path("sendErrorsByCode")
                .fields()
                .forEachRemaining(code ->
                        errorsByCode.merge(code.getKey(), code.getValue().asLong(), Long::sum)));
        Oracle.OracleCounts oracle = new Oracle.OracleCounts(
                sum(parts, "oracle", "sent"),
                sum(parts, "oracle", "acked"),
                sum(parts, "oracle", "delivered"),
                sum(parts, "oracle", "lost"),
                sum(parts, "oracle", "redelivered"),
                sum(parts, "oracle", "duplicatesInSession"),
                sum(parts, "oracle", "duplicatesToApp"),
                sum(parts, "oracle", "reordered"),
                sum(parts, "oracle", "receiptErrors"),
                sum(parts, "oracle", "sendErrors"),
                errorsByCode,
                sum(parts, "oracle", "neverAcked"),
                sum(parts, "oracle", "refused"),
                sum(parts, "oracle", "withheld"),
                sum(parts, "oracle", "unreadable"));
        PresenceCounts presence = new PresenceCounts();
        presence.subscriptionsSent = sum(parts, "presence", "subscriptionsSent");
        presence.presenceReceived = sum(parts, "presence", "presenceReceived");
        presence.typingSent = sum(parts, "presence", "typingSent");
        presence.typingReceived = sum(parts, "presence", "typingReceived");
        JsonNode first = parts.get(0);
        return new RunOutcome(
                oracle,
                HeldAtEnd.NOTHING,
                sum(parts, "windowSent"),
                sum(parts, "windowSentToOffline"),
                sum(parts, "windowAcked"),
                sum(parts, "windowDelivered"),
                sum(parts, "deliveriesInWindow"),
                added(parts, part -> part.path("send2deliver")),
                added(parts, part -> part.path("send2ack")),
                added(parts, part -> part.path("send2receipt")),
                added(parts, part -> part.path("sendLag")),
                perSecond(parts),
                timeline(parts),
                first.path("durationSec").asDouble(),
                parts.stream()
                        .mapToDouble(part -> part.path("drainSec").asDouble())
                        .max()
                        .orElse(0),
                parts.stream().allMatch(part -> part.path("drainSettled").asBoolean()),
                null,
                groups(parts),
                presence,
                sum(parts, "receiptsSentAgain"),
                server.counters(),
                server.gc(),
                null,
                outages(parts),
                client(parts),
                PhoneFigures.NONE,
                WindowCosts.Figures.NONE);
    }

    /** HdrHistogram's compressed encoding, in base64. */
    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("a worker's histogram does not decode: " + e.getMessage(), e);
        }
    }

    private static long sum(List<JsonNode> parts, String... path) {
        long sum = 0;
        for (JsonNode part : parts) {
            JsonNode node = part;
            for (String field : path) {
                node = node.path(field);
            }
            sum += node.asLong();
        }
        return sum;
    }

    /** Every part's histogram added into one. */
    private static Histogram added(List<JsonNode> parts, java.util.function.Function<JsonNode, JsonNode> field) {
        Histogram sum = null;
        for (JsonNode part : parts) {
            Histogram histogram = decode(field.apply(part).asText());
            if (sum == null) {
                sum = histogram;
            } else {
                sum.add(histogram);
            }
        }
        return sum;
    }

    /** Second by second, the workers' histograms added; a worker whose series is shorter adds nothing after it. */
    private static List<Histogram> perSecond(List<JsonNode> parts) {
        List<Histogram> seconds = new ArrayList<>();
        for (JsonNode part : parts) {
            int second = 0;
            for (JsonNode encoded : part.path("perSecond")) {
                Histogram histogram = decode(encoded.asText());
                if (second < seconds.size()) {
                    seconds.get(second).add(histogram);
                } else {
                    seconds.add(histogram);
                }
                second++;
            }
        }
        return seconds;
    }

    /** Rows {@code second, sent, delivered, p99Micros}: sent and delivered summed, the p99 of the merged second. */
    private static List<long[]> timeline(List<JsonNode> parts) {
        List<long[]> rows = new ArrayList<>();
        for (JsonNode part : parts) {
            int second = 0;
            for (JsonNode row : part.path("timeline")) {
                if (second == rows.size()) {
                    rows.add(new long[] {second, 0, 0, 0});
                }
                rows.get(second)[1] += row.get(1).asLong();
                rows.get(second)[2] += row.get(2).asLong();
                second++;
            }
        }
        List<Histogram> seconds = perSecond(parts);
        for (int second = 0; second < rows.size() && second < seconds.size(); second++) {
            rows.get(second)[3] = seconds.get(second).getValueAtPercentile(99);
        }
        return rows;
    }

    private static RunOutcome.GroupFigures groups(List<JsonNode> parts) {
        if (parts.stream().noneMatch(part -> part.has("groups"))) {
            return null;
        }
        MembershipChanges.Figures changes = null;
        if (parts.stream().anyMatch(part -> part.path("groups").path("changes").isObject())) {
            changes = new MembershipChanges.Figures(
                    sum(parts, "groups", "changes", "added"),
                    sum(parts, "groups", "changes", "removed"),
                    sum(parts, "groups", "changes", "left"),
                    sum(parts, "groups", "changes", "skipped"),
                    sum(parts, "groups", "changes", "refused"),
                    sum(parts, "groups", "changes", "arrivalsHeld"),
                    sum(parts, "groups", "changes", "events"));
        }
        int largest = parts.stream()
                .mapToInt(part -> part.path("groups").path("largest").asInt())
                .max()
                .orElse(0);
        return new RunOutcome.GroupFigures(
                (int) sum(parts, "groups", "count"), largest, sum(parts, "groups", "memberships"), changes);
    }

    /**
     * The i-th outage of every worker is one: every worker's faults follow the same timeline from the same start. Its
     * first welcome is the earliest worker's, its last device back the latest's; counts are summed and the welcome
     * times merged. A fault's own details (slowReaders) are the first worker's.
     */
    private static List<Outages.Outage> outages(List<JsonNode> parts) {
        List<Outages.Outage> outages = new ArrayList<>();
        JsonNode first = parts.get(0).path("outages");
        for (int i = 0; i < first.size(); i++) {
            JsonNode entry = first.get(i);
            int index = i;
            List<JsonNode> same =
                    parts.stream().map(part -> part.path("outages").path(index)).toList();
            Outages.Outage outage = new Outages.Outage(
                    entry.path("kind").asText(),
                    entry.path("atSec").asDouble(),
                    same.stream().mapToLong(o -> o.path("ackedBefore").asLong()).sum(),
                    same.stream()
                            .mapToLong(o -> o.path("unacknowledged").asLong())
                            .sum(),
                    0);
            outage.recoveryMs = same.stream()
                    .mapToLong(o -> o.path("recoveryMs").asLong(-1))
                    .filter(ms -> ms >= 0)
                    .min()
                    .orElse(-1);
            outage.closed =
                    same.stream().mapToInt(o -> o.path("closed").asInt()).sum();
            outage.back = same.stream().mapToInt(o -> o.path("back").asInt()).sum();
            boolean allBack = same.stream().allMatch(o -> o.path("allBackMs").asLong(-1) >= 0);
            outage.allBackMs = allBack
                    ? same.stream()
                            .mapToLong(o -> o.path("allBackMs").asLong())
                            .max()
                            .orElse(-1)
                    : -1;
            outage.sentAgain =
                    same.stream().mapToLong(o -> o.path("sentAgain").asLong()).sum();
            same.forEach(o -> {
                if (o.hasNonNull("welcomeMs")) {
                    outage.welcomeMs.add(decode(o.path("welcomeMs").asText()));
                }
            });
            for (Iterator<Map.Entry<String, JsonNode>> details =
                            entry.path("details").fields();
                    details.hasNext(); ) {
                Map.Entry<String, JsonNode> detail = details.next();
                outage.details.put(detail.getKey(), JSON.convertValue(detail.getValue(), Object.class));
            }
            outages.add(outage);
        }
        return outages;
    }

    private static RunOutcome.ClientFigures client(List<JsonNode> parts) {
        return new RunOutcome.ClientFigures(
                parts.get(0).path("client").path("encryption").asText(),
                sum(parts, "client", "messages"),
                sum(parts, "client", "sealNs"),
                sum(parts, "client", "sessionNs"),
                sum(parts, "client", "keyMakingNs"),
                sum(parts, "client", "bytesWritten"),
                sum(parts, "client", "bytesRead"),
                sum(parts, "client", "keyFetches"),
                sum(parts, "client", "keyUploads"),
                parts.get(0).path("client").path("sendingSec").asDouble());
    }
}
