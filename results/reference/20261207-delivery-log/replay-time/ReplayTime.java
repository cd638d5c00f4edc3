package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import java.util.SplittableRandom;

/**
 * How long a client inbox takes to replay the log of 6,830,000 deliveries (500,000 msgs/s over 13 s) among 2,000
 * devices, each from a random sender to a random recipient with the sender's next id. Compiled against the built
 * classes, in their package; not part of the build.
 */
public class ReplayTime {
    public static void main(String[] args) {
        int deliveries = 6_830_000;
        int devices = 2000;
        for (int round = 0; round < 3; round++) {
            ClientInbox inbox = new ClientInbox(deliveries, new DeviceSlots(1), devices, 1);
            SplittableRandom random = new SplittableRandom(7);
            int[] lastId = new int[devices];
            for (int i = 0; i < deliveries; i++) {
                int sender = random.nextInt(devices);
                int recipient = random.nextInt(devices);
                inbox.delivered(recipient, sender, 0, ++lastId[sender], false);
            }
            long start = System.nanoTime();
            long shown = inbox.settle();
            long end = System.nanoTime();
            System.out.printf("replay of %,d deliveries: %.0f ms (%d)%n", deliveries, (end - start) / 1e6, shown);
        }
    }
}
