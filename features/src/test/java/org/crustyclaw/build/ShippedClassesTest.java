package org.crustyclaw.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedClassesTest {

    @TempDir
    Path dir;

    /** The first 8 bytes of a class file of the given major version; the checks read no further. */
    static byte[] classFile(int major) {
        return new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, (byte) (major >> 8), (byte) major};
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    Path jar(String name, Map<String, byte[]> entries) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar)) {
            out.write(zip(entries));
        }
        return jar;
    }

    @Test
    void aClassInTwoJarsIsNamedWithBoth() throws IOException {
        Path a = jar("a.jar", Map.of("org/example/Shared.class", classFile(61), "org/example/A.class", classFile(61)));
        Path b = jar("b.jar", Map.of("org/example/Shared.class", classFile(61), "META-INF/versions/21/org/example/A.class", classFile(65)));
        assertThat(ShippedClasses.duplicates(List.of(a, b))).containsExactly("org.example.Shared is in a.jar and b.jar");
        assertThat(ShippedClasses.duplicates(List.of(a))).isEmpty();
    }

    static byte[] manifest(String exports) {
        return ("Manifest-Version: 1.0\r\n" + (exports.isEmpty() ? "" : "Export-Package: " + exports + "\r\n") + "\r\n").getBytes();
    }

    @Test
    void bundlesMayEachHoldAPrivateCopyButNeverOfAnExportedPackage() throws IOException {
        Path a = jar("a.jar", Map.of("META-INF/MANIFEST.MF", manifest("org.example.api;version=\"1.0\";uses:=\"org.x,org.y\""),
                "org/example/api/Api.class", classFile(61), "org/example/lines/Splitter.class", classFile(61)));
        Path b = jar("b.jar", Map.of("META-INF/MANIFEST.MF", manifest(""),
                "org/example/api/Api.class", classFile(61), "org/example/lines/Splitter.class", classFile(61)));
        assertThat(ShippedClasses.duplicateBundleClasses(List.of(a, b)))
                .containsExactly("org.example.api.Api is in a.jar and b.jar (package org.example.api is exported)");
        assertThat(ShippedClasses.duplicates(List.of(a, b))).hasSize(2);
    }

    @Test
    void exportPackageNamesAreReadPastQuotedCommas() throws IOException {
        Path a = jar("e.jar", Map.of("META-INF/MANIFEST.MF",
                manifest("p.one;p.two;version=\"1.0\";uses:=\"q.a,q.b\",p.three;version=\"[1,2)\"")));
        try (var zip = new java.util.zip.ZipFile(a.toFile())) {
            assertThat(ShippedClasses.exportedPackages(zip)).containsExactlyInAnyOrder("p.one", "p.two", "p.three");
        }
    }

    @Test
    void classFilesNewerThanJava17AreNamedButVersionedOnesAreAllowed() throws IOException {
        Path ok = jar("ok.jar", Map.of("org/example/A.class", classFile(61), "META-INF/versions/21/org/example/A.class",
                classFile(65), "module-info.class", classFile(65)));
        assertThat(ShippedClasses.newerThan(ok, ShippedClasses.JAVA_17)).isEmpty();
        Path tooNew = jar("new.jar", Map.of("org/example/B.class", classFile(65)));
        assertThat(ShippedClasses.newerThan(tooNew, ShippedClasses.JAVA_17)).singleElement().asString()
                .contains("new.jar!/org/example/B.class").contains("version 65 (Java 21)").contains("starts on Java 17");
    }

    @Test
    void jarsNestedInABundleAreCheckedToo() throws IOException {
        byte[] inner = zip(Map.of("org/lib/C.class", classFile(66)));
        Path bundle = jar("bundle.jar", Map.of("lib/inner.jar", inner, "org/example/A.class", classFile(55)));
        assertThat(ShippedClasses.newerThan(bundle, ShippedClasses.JAVA_17)).singleElement().asString()
                .contains("bundle.jar!/lib/inner.jar!/org/lib/C.class").contains("Java 22");
        Path broken = jar("broken.jar", Map.of("org/example/D.class", "not a class".getBytes()));
        assertThat(ShippedClasses.newerThan(broken, ShippedClasses.JAVA_17)).singleElement().asString().contains("not a class file");
    }
}
