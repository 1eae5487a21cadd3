package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonOutputTest {

    /** The definition {@link JsonOutput#rounded} must agree with. */
    private static String reference(double value) {
        return BigDecimal.valueOf(value)
                .setScale(4, RoundingMode.HALF_EVEN)
                .stripTrailingZeros()
                .toPlainString();
    }

    @ParameterizedTest
    @ValueSource(
            doubles = {
                0.0,
                -0.0,
                8.0,
                1.0,
                0.5,
                0.00005,
                0.0004,
                1.00005,
                2.50005,
                2.50015,
                2.50025,
                7.99995,
                7.99994,
                9.99996,
                99.99995,
                123456.78905,
                -3.14159,
                -0.00049,
                -0.00051,
                1e7,
                1234567.5,
                9999999.99995,
                0.001,
                0.00149999,
                4.4981234,
                6.1e-3,
                Double.MIN_VALUE,
                Double.MAX_VALUE,
                -Double.MAX_VALUE
            })
    void roundsLikeBigDecimal(double value) {
        assertThat(JsonOutput.rounded(value)).as("%s", value).isEqualTo(reference(value));
    }

    @Test
    void roundsRandomValuesLikeBigDecimal() {
        SplittableRandom random = new SplittableRandom(20261123);
        for (int i = 0; i < 200_000; i++) {
            double value =
                    switch (i % 4) {
                        case 0 -> random.nextDouble(0, 8); // entropies
                        case 1 -> random.nextInt(0, 80_000) / 10_000.0 + 0.00005; // ties at the fifth decimal
                        case 2 -> random.nextDouble(-1e7, 1e7);
                        default -> Double.longBitsToDouble(random.nextLong()); // any bit pattern at all
                    };
            if (Double.isFinite(value)) {
                assertThat(JsonOutput.rounded(value)).as("%s", value).isEqualTo(reference(value));
            }
        }
    }
}
