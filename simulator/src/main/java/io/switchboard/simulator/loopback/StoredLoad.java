package io.switchboard.simulator.loopback;

import io.netty.channel.EventLoop;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.VirtualClients;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The stored phase of a fan-out measurement: every member connects (so the group can be made), then all but the sender
 * leave, and the sender sends group messages, a window of them in flight, until the wanted number is acknowledged. The
 * server then holds every one of them for every member device: what that costs is what this phase weighs.
 */
final class StoredLoad implements VirtualClients.Listener {
    private static final int IN_FLIGHT = 256;

    private final int members;
    private final int messages;
    private final UnsafeBuffer body;
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final CompletableFuture<Void> created = new CompletableFuture<>();
    private final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    private int welcomes;
    private int sent;
    private int acked;
    private VirtualClients clients;

    StoredLoad(int groupSize, int messages, int bodyBytes) {
        this.members = groupSize;
        this.messages = messages;
        this.body = new UnsafeBuffer(new byte[bodyBytes]);
    }

    void attach(VirtualClients clients) {
        this.clients = clients;
    }

    CompletableFuture<Void> welcomed() {
        return welcomed;
    }

    CompletableFuture<Void> created() {
        return created;
    }

    CompletableFuture<Void> acknowledged() {
        return acknowledged;
    }

    /** Makes the group; once it exists the members leave. */
    void create(EventLoop loop) {
        loop.execute(() -> {
            clients.write(0, FanoutRun.createFrame(clients.outFrame(), members));
            clients.flushWritten();
        });
    }

    void membersLeave(EventLoop loop) {
        loop.execute(() -> {
            for (int i = 1; i < members; i++) {
                clients.close(i);
            }
        });
    }

    void send(EventLoop loop) {
        loop.execute(this::sendMore);
    }

    private void sendMore() {
        for (; sent < messages && sent - acked < IN_FLIGHT; sent++) {
            body.putLong(0, sent + 1);
            clients.write(
                    0,
                    clients.outFrame()
                            .reset(FrameType.SEND)
                            .id(sent + 1)
                            .toGroup(FanoutRun.GROUP)
                            .addEnvelope(0, EnvelopeType.SKMSG, body, 0, body.capacity()));
        }
        clients.flushWritten();
    }

    @Override
    public void onFrame(int connection, Frame frame) {
        switch (frame.type()) {
            case WELCOME -> {
                if (++welcomes == members) {
                    welcomed.complete(null);
                }
            }
            case RESULT -> created.complete(null);
            case ACK -> {
                if (++acked == messages) {
                    acknowledged.complete(null);
                } else {
                    sendMore();
                }
            }
            case ERROR -> onError(connection, new IllegalStateException(frame.toString()));
            default -> {
                // Group events: not weighed.
            }
        }
    }

    @Override
    public void onClosed(int connection) {
        if (connection == 0 && !acknowledged.isDone()) {
            onError(connection, new IllegalStateException("the sender's connection closed"));
        }
    }

    @Override
    public void onError(int connection, Throwable cause) {
        welcomed.completeExceptionally(cause);
        created.completeExceptionally(cause);
        acknowledged.completeExceptionally(cause);
    }
}
