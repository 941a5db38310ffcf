package org.crustyclaw.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class QemuCommandLineTest {

    private static QemuCommandLine line(String accel, int mib, Path workspace) {
        return new QemuCommandLine(Path.of("/usr/bin/qemu-system-x86_64"), Path.of("/k/vmlinux"),
                Path.of("/k/initrd.gz"), accel, mib, 2, workspace, Path.of("/run/vm-1"), OptionalLong.of(2445430));
    }

    private static String after(List<String> argv, String option) {
        return argv.get(argv.indexOf(option) + 1);
    }

    @Test
    void microvmWithoutNetworkWithMemoryAgentPortAndWorkspaceShare() {
        List<String> argv = line("tcg", 300, Path.of("/data/ws 1")).argv();
        assertThat(argv.get(0)).isEqualTo("/usr/bin/qemu-system-x86_64");
        assertThat(after(argv, "-M")).startsWith("microvm,");
        assertThat(after(argv, "-accel")).isEqualTo("tcg");
        assertThat(after(argv, "-m")).isEqualTo("300");
        assertThat(after(argv, "-smp")).isEqualTo("2");
        assertThat(after(argv, "-nic")).isEqualTo("none");
        assertThat(argv).contains("-nodefaults", "-no-reboot", "-no-user-config");
        assertThat(argv).doesNotContain("-netdev", "-net");
        assertThat(after(argv, "-chardev")).isEqualTo("socket,id=agent,path=/run/vm-1/agent.sock,server=on,wait=off");
        assertThat(argv).contains("virtserialport,chardev=agent,name=org.crustyclaw.agent");
        assertThat(after(argv, "-fsdev")).isEqualTo("local,id=ws,path=/data/ws 1,security_model=none");
        assertThat(argv).contains("virtio-9p-device,fsdev=ws,mount_tag=workspace");
        assertThat(after(argv, "-serial")).isEqualTo("file:/run/vm-1/console.log");
    }

    @Test
    void kernelArgumentsCarryTheClockAndTheWorkspacePathSafely() {
        String append = line("kvm", 256, Path.of("/data/ws 1")).kernelArguments();
        assertThat(append).contains("console=ttyS0", "panic=-1", "tsc_early_khz=2445430", "tsc=reliable");
        String ws64 = append.replaceAll(".*crustyclaw\\.ws64=(\\S+).*", "$1");
        assertThat(new String(Base64.getDecoder().decode(ws64), StandardCharsets.UTF_8)).isEqualTo("/data/ws 1");
    }

    @Test
    void commasInPathsAreEscapedForQemuOptions() {
        assertThat(after(line("tcg", 256, Path.of("/a,b")).argv(), "-fsdev"))
                .isEqualTo("local,id=ws,path=/a,,b,security_model=none");
    }

    @Test
    void rejectsValuesQemuOrTheGuestCannotUse() {
        assertThatThrownBy(() -> line("hvf", 256, Path.of("/ws"))).hasMessageContaining("'hvf'");
        assertThatThrownBy(() -> line("tcg", 64, Path.of("/ws"))).hasMessageContaining("64 MiB")
                .hasMessageContaining("128");
        assertThatThrownBy(() -> line("tcg", 256, Path.of("ws"))).hasMessageContaining("absolute");
        Settings d = Settings.defaults();
        assertThatThrownBy(() -> d.withAccel("xen")).hasMessageContaining("'xen'")
                .hasMessageContaining("auto, kvm or tcg");
        assertThatThrownBy(() -> d.withBootTimeout(Duration.ZERO)).hasMessageContaining("PT0S");
    }

    @Test
    void namesWhatIsMissingWhenUnavailable() {
        Settings d = Settings.defaults();
        MicrovmBackend noQemu = new MicrovmBackend(new Settings(Path.of("/nonexistent/qemu"), d.kernel(),
                d.initramfs(), "tcg", Duration.ofSeconds(5)));
        assertThat(noQemu.unavailableBecause()).hasValueSatisfying(r -> assertThat(r)
                .contains("/nonexistent/qemu").contains("qemu-system-x86"));
        MicrovmBackend noKernel = new MicrovmBackend(new Settings(Path.of("/bin/sh"), Path.of("/nonexistent/vmlinux"),
                d.initramfs(), "tcg", Duration.ofSeconds(5)));
        assertThat(noKernel.unavailableBecause()).hasValueSatisfying(r -> assertThat(r)
                .contains("/nonexistent/vmlinux").contains("scripts/setup-sandbox-host.sh"));
    }
}
