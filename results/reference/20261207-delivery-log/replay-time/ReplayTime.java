package io.switchboard.simulator.run;
import io.switchboard.simulator.net.DeviceSlots;
import java.util.SplittableRandom;
public class ReplayTime {
  public static void main(String[] a) {
    int n = 6_830_000, devices = 2000;
    for (int round = 0; round < 3; round++) {
      ClientInbox inbox = new ClientInbox(n, new DeviceSlots(1), devices, 1);
      SplittableRandom r = new SplittableRandom(7);
      int[] next = new int[devices];
      for (int i = 0; i < n; i++) { int s = r.nextInt(devices); int rc = r.nextInt(devices); inbox.delivered(rc, s, 0, ++next[s], false); }
      long t0 = System.nanoTime(); long shown = inbox.settle(); long t1 = System.nanoTime();
      System.out.printf("replay of %,d deliveries: %.0f ms (%d)%n", n, (t1 - t0) / 1e6, shown);
    }
  }
}
