package io.switchboard.simulator.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * What draws a report's {@link LineChart}s, inlined once per page so that it opens offline as one file: uPlot's script
 * and style, from the same WebJar the live dashboard serves (core depends on it, so it is on the classpath), and the
 * report's own script ({@code charts.js} beside this class) that builds a uPlot chart from each chart's JSON.
 */
final class ChartAssets {
    /** The WebJar's Maven coordinates file, which gives the version its files sit under. */
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private ChartAssets() {}

    /** The style and scripts, for the end of the page's body (the script draws the charts above it). */
    static String html() {
        return Holder.HTML;
    }

    private static final class Holder {
        static final String HTML = load();
    }

    private static String load() {
        String dist = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        return "<style>" + resource(dist + "uPlot.min.css") + "</style>\n<script>"
                + script(resource(dist + "uPlot.iife.min.js")) + "</script>\n<script>"
                + script(resource("io/switchboard/simulator/report/charts.js")) + "</script>\n";
    }

    private static String uplotVersion() {
        Properties pom = new Properties();
        try (InputStream in = open(UPLOT_POM)) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = ChartAssets.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath: the report's charts need uPlot's WebJar"
                    + " (a dependency of switchboard-core)");
        }
        return in;
    }

    /** A script for inside a script element, which "</script" would end early; "<\/" means the same in JS. */
    private static String script(String js) {
        return js.replace("</script", "<\\/script");
    }
}
