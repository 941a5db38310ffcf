package org.crustyclaw.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every test source of the repository keeps {@link TestSourceRules}; {@code mvn verify} fails on the
 * first sleep or elapsed-time assertion added anywhere, naming its file and line.
 */
class RepositoryTestSourcesTest {

    static final Path ROOT = Path.of(System.getProperty("crustyclaw.root", "..")).toAbsolutePath().normalize();

    @Test
    void noTestSleepsOrAssertsElapsedTime() throws Exception {
        assertThat(ROOT.resolve("bundles")).as("the repository root").isDirectory();
        List<TestSourceRules.Violation> found = TestSourceRules.checkTree(ROOT);
        assertThat(found).as("test sources breaking the rules of build-checks/README.md (%s):%n%s",
                TestSourceRules.HOW_TO_FIX, String.join("\n", found.stream().map(Object::toString).toList())).isEmpty();
    }

    @Test
    void theTreeHoldsTheTestsItChecks() throws Exception {
        try (var files = Files.walk(ROOT)) {
            assertThat(files.filter(TestSourceRules::isTestSource).count()).as("test sources under " + ROOT)
                    .isGreaterThan(50);
        }
    }
}
