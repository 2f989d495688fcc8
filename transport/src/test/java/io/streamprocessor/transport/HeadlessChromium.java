package io.streamprocessor.transport;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Test helper: a headless Chromium driven through Selenium, using Debian's {@code chromium} and
 * {@code chromium-driver} found on the PATH, so Selenium Manager never looks for a browser or a
 * driver on the network. Without them the test fails (never skips) and says what to install.
 */
final class HeadlessChromium {
    private HeadlessChromium() {
    }

    /** A new browser whose console (the {@code browser} log) the test can read; the caller quits it. */
    static ChromeDriver start() {
        Path browser = onPath("chromium");
        Path driver = onPath("chromedriver");
        if (browser == null || driver == null) {
            throw new AssertionError("the dashboard test needs Chromium and its driver: run .ci/run, which installs them, "
                + "or install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver); "
                + "missing on the PATH: " + (browser == null ? "chromium " : "") + (driver == null ? "chromedriver" : ""));
        }
        ChromeOptions options = new ChromeOptions()
            .setBinary(browser.toFile())
            .addArguments("--headless=new", "--no-sandbox", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1400");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(driver.toFile())
            .usingAnyFreePort()
            .build();
        return new ChromeDriver(service, options);
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
