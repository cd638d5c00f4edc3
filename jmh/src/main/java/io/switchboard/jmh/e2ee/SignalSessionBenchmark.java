package io.switchboard.jmh.e2ee;

import io.switchboard.jmh.BenchmarkBase;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyBundle;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * Question: what does end-to-end encryption cost a client per message, next to what the server spends on a frame
 * (JsonCodecBenchmark)? libsignal (its Rust core through JNI), as WhatsApp-like clients run it: a Double Ratchet
 * encrypt of one envelope, an encrypt with its decrypt by the peer, and the first contact (PQXDH: the sender builds a
 * session from the peer's bundle, encrypts a pre-key message, the peer decrypts it), bundle keys made outside the
 * measurement as a server would hand them out.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignalSessionBenchmark extends BenchmarkBase {
    private static final SignalProtocolAddress ALICE = new SignalProtocolAddress("42", 1);
    private static final SignalProtocolAddress BOB = new SignalProtocolAddress("99", 1);

    @Param({"100", "1024"})
    int bodyBytes;

    private byte[] plaintext;
    private InMemorySignalProtocolStore aliceStore;
    private InMemorySignalProtocolStore bobStore;
    private SessionCipher alice;
    private SessionCipher bob;
    /** A fresh Bob and his bundle for each first contact, made outside the measurement. */
    private InMemorySignalProtocolStore freshBob;

    private PreKeyBundle freshBundle;

    @Setup
    public void setUp() throws Exception {
        plaintext = new byte[bodyBytes];
        for (int i = 0; i < plaintext.length; i++) {
            plaintext[i] = (byte) (i * 31);
        }
        aliceStore = new InMemorySignalProtocolStore(IdentityKeyPair.generate(), 1);
        bobStore = new InMemorySignalProtocolStore(IdentityKeyPair.generate(), 2);
        new SessionBuilder(aliceStore, BOB).process(bundle(bobStore));
        alice = new SessionCipher(aliceStore, BOB);
        bob = new SessionCipher(bobStore, ALICE);
        // The first message and a reply complete the handshake: what follows are plain ratchet messages.
        bob.decrypt(new PreKeySignalMessage(alice.encrypt(plaintext).serialize()));
        alice.decrypt(new SignalMessage(bob.encrypt(plaintext).serialize()));
    }

    @Setup(Level.Invocation)
    public void freshPeer() throws Exception {
        freshBob = new InMemorySignalProtocolStore(IdentityKeyPair.generate(), 3);
        freshBundle = bundle(freshBob);
    }

    /** What a server's key fetch hands out: a signed pre-key, a one-time pre-key and a one-time Kyber pre-key. */
    private static PreKeyBundle bundle(InMemorySignalProtocolStore store) throws Exception {
        IdentityKeyPair identity = store.getIdentityKeyPair();
        ECKeyPair signed = ECKeyPair.generate();
        byte[] signedSignature = identity.getPrivateKey()
                .calculateSignature(signed.getPublicKey().serialize());
        ECKeyPair oneTime = ECKeyPair.generate();
        KEMKeyPair kyber = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
        byte[] kyberSignature =
                identity.getPrivateKey().calculateSignature(kyber.getPublicKey().serialize());
        store.storeSignedPreKey(7, new SignedPreKeyRecord(7, 0, signed, signedSignature));
        store.storePreKey(11, new PreKeyRecord(11, oneTime));
        store.storeKyberPreKey(13, new KyberPreKeyRecord(13, 0, kyber, kyberSignature));
        return new PreKeyBundle(
                store.getLocalRegistrationId(),
                1,
                11,
                oneTime.getPublicKey(),
                7,
                signed.getPublicKey(),
                signedSignature,
                identity.getPublicKey(),
                13,
                kyber.getPublicKey(),
                kyberSignature);
    }

    /** One envelope for one device: the sender's whole cost per recipient device of a message. */
    @Benchmark
    public CiphertextMessage encrypt() throws Exception {
        return alice.encrypt(plaintext);
    }

    /** An envelope sealed by the sender and opened by the recipient. */
    @Benchmark
    public byte[] encryptAndDecrypt() throws Exception {
        return bob.decrypt(new SignalMessage(alice.encrypt(plaintext).serialize()));
    }

    /** First contact: session from the bundle, a pre-key message sealed, and opened by the recipient. */
    @Benchmark
    public byte[] firstContact() throws Exception {
        InMemorySignalProtocolStore sender = new InMemorySignalProtocolStore(aliceStore.getIdentityKeyPair(), 1);
        new SessionBuilder(sender, BOB).process(freshBundle);
        CiphertextMessage first = new SessionCipher(sender, BOB).encrypt(plaintext);
        return new SessionCipher(freshBob, ALICE).decrypt(new PreKeySignalMessage(first.serialize()));
    }
}
