package org.crustyclaw.tools.builtin;

/**
 * Text that stops growing at a cap and says so: the note tells the model how much it did not
 * see, so it can ask for less (a line range, a narrower search) instead of guessing.
 */
final class Capped {

    private final int max;
    private final StringBuilder text = new StringBuilder();
    private long total;
    private long droppedLines;

    Capped(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("output cap must be at least 1 character: " + max);
        }
        // room for the note, so that text and note together stay within the cap
        this.max = max > 600 ? max - 200 : Math.max(1, max / 2);
    }

    /** @return false when the line did not fit whole */
    synchronized boolean line(String line) {
        total += line.length() + 1L;
        int room = max - text.length();
        if (room <= 0) {
            droppedLines++;
            return false;
        }
        if (line.length() + 1 > room) {
            text.append(line, 0, Math.max(0, room - 1)).append('\n');
            droppedLines++;
            return false;
        }
        text.append(line).append('\n');
        return true;
    }

    synchronized boolean full() {
        return text.length() >= max;
    }

    synchronized boolean truncated() {
        return total > text.length();
    }

    synchronized String text() {
        if (!truncated()) {
            return text.toString();
        }
        return text + "[output truncated: " + text.length() + " of " + total + " characters shown, "
                + droppedLines + " line(s) cut; ask for a smaller part]\n";
    }

    static String cap(String whole, int max) {
        if (whole.length() <= max) {
            return whole;
        }
        return whole.substring(0, max) + "\n[output truncated: " + max + " of " + whole.length()
                + " characters shown; ask for a smaller part]\n";
    }
}
