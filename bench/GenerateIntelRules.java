import dev.tollgate.yara.IntelRuleGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes generated intel rules for the one-pass benchmark: N synthetic domains, URLs and IPv4 addresses (seeded, so
 * every run compiles the same rules), through {@link IntelRuleGenerator} with its default options.
 *
 * <p>Usage: {@code java -cp tollgate.jar:lib/* bench/GenerateIntelRules.java N OUT.yar}
 */
void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    Random random = new Random(3_2023);
    List<String> indicators = new ArrayList<>(n);
    String[] tlds = {"com", "net", "org", "io", "info", "xyz"};
    for (int i = 0; indicators.size() < n; i++) {
        String label = Long.toString(Math.abs(random.nextLong()), 36);
        switch (i % 3) {
            case 0 -> indicators.add(label + "." + tlds[random.nextInt(tlds.length)]);
            case 1 -> indicators.add("https://" + label + ".example/" + Integer.toHexString(random.nextInt()));
            default -> indicators.add("10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256));
        }
    }
    var generated = IntelRuleGenerator.generate("intel", indicators, IntelRuleGenerator.DEFAULT_OPTIONS);
    Files.writeString(Path.of(args[1]), generated.source());
}
