package org.rramlab.learning.drift;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** A PNG of test accuracy against array days, one line per policy and the software level dashed. */
public final class DriftChart {
    private static final int W = 900;
    private static final int H = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final Color[] COLORS = {new Color(0xc0392b), new Color(0x2e86c1), new Color(0x27ae60),
            new Color(0x8e44ad), new Color(0xd68910), new Color(0x17a589)};

    private DriftChart() {}

    /** @param curves per policy, points (day, accuracy in [0, 1]) */
    public static void write(Path png, double software, Map<String, List<double[]>> curves) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double lo = software;
        double hi = software;
        double days = 1;
        for (List<double[]> c : curves.values()) {
            for (double[] p : c) {
                lo = Math.min(lo, p[1]);
                hi = Math.max(hi, p[1]);
                days = Math.max(days, p[0]);
            }
        }
        // the range the data lives in, with a little room, in whole points
        lo = Math.floor(100 * lo - 0.5) / 100;
        hi = Math.ceil(100 * hi + 0.5) / 100;
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        g.drawString("test accuracy (%) against array time (days); decisions on validation images", LEFT, 22);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        g.setColor(new Color(0xdddddd));
        int yTicks = 5;
        for (int i = 0; i <= yTicks; i++) {
            double v = lo + (hi - lo) * i / yTicks;
            int y = TOP + ph - (int) Math.round(ph * (v - lo) / (hi - lo));
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.1f", 100 * v), LEFT - 40, y + 4);
        }
        int xTicks = 6;
        for (int i = 0; i <= xTicks; i++) {
            double d = days * i / xTicks;
            int x = LEFT + (int) Math.round(pw * d / days);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f", d), x - 8, TOP + ph + 18);
        }
        g.drawString("array days", LEFT + pw / 2 - 30, H - 12);
        g.drawRect(LEFT, TOP, pw, ph);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        int ys = TOP + ph - (int) Math.round(ph * (software - lo) / (hi - lo));
        g.drawLine(LEFT, ys, LEFT + pw, ys);
        g.drawString("software", LEFT + 6, ys - 5);
        int k = 0;
        for (Map.Entry<String, List<double[]>> e : curves.entrySet()) {
            Color c = COLORS[k % COLORS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (double[] p : e.getValue()) {
                int x = LEFT + (int) Math.round(pw * p[0] / days);
                int y = TOP + ph - (int) Math.round(ph * (p[1] - lo) / (hi - lo));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(LEFT + pw + 10, TOP + 10 + 18 * k, 12, 3);
            g.drawString(e.getKey(), LEFT + pw + 28, TOP + 15 + 18 * k);
            k++;
        }
        g.dispose();
        if (png.getParent() != null) {
            Files.createDirectories(png.getParent());
        }
        ImageIO.write(img, "png", png.toFile());
    }
}
