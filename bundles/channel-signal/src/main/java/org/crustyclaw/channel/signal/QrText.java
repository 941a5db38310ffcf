package org.crustyclaw.channel.signal;

import io.nayuki.qrcodegen.QrCode;

/** A QR code drawn with Unicode half blocks, two modules per character row, for a terminal. */
final class QrText {

    private QrText() {}

    static String render(String text) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.LOW);
        int border = 2;
        StringBuilder out = new StringBuilder();
        for (int y = -border; y < qr.size + border; y += 2) {
            for (int x = -border; x < qr.size + border; x++) {
                boolean top = qr.getModule(x, y);
                boolean bottom = qr.getModule(x, y + 1);
                // dark modules drawn as spaces on a light background read on dark and light terminals alike
                out.append(top ? (bottom ? ' ' : '▄') : (bottom ? '▀' : '█'));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
