package org.crustyclaw.launcher;

/** SIGHUP through {@code sun.misc.Signal}, which Java 17 to 25 all keep (module jdk.unsupported). */
final class Signals {

    private Signals() {}

    static void onHangup(Runnable action) {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
            Thread t = new Thread(action, "sighup");
            t.setDaemon(true);
            t.start();
        });
    }
}
