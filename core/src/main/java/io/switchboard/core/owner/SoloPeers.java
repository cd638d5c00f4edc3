package io.switchboard.core.owner;

/**
 * The peers of a table that is the only owner and takes no group traffic: a single table driven directly, as the
 * session tests and the journal recovery benchmark do.
 */
public final class SoloPeers implements Peers {
    public static final SoloPeers INSTANCE = new SoloPeers();

    private SoloPeers() {}

    @Override
    public int owners() {
        return 1;
    }

    @Override
    public int self() {
        return 0;
    }

    @Override
    public int ownerOfUser(long user) {
        return 0;
    }

    @Override
    public void post(int owner, PeerTask task) {
        throw new UnsupportedOperationException("a solo table takes no group traffic");
    }
}
