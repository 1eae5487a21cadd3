package dev.tollgate.formats.nsis;

import java.util.Arrays;

/**
 * One instruction of the installer's script ({@code entry} in NSIS's {@code fileform.h}): 28 bytes, an opcode and six
 * 32-bit parameters whose meaning depends on it (string table offsets, numbers, jump targets).
 *
 * <pre>
 * offset size field
 *  0      4   which: the EW_* opcode
 *  4     24   offsets[6]: the parameters
 * </pre>
 */
public record NsisEntry(int opcode, int[] parameters) {

    public static final int SIZE = 28;

    /** {@code CreateDirectory} and {@code SetOutPath}: [path, set $OUTDIR when non-zero, restrict ACL]. */
    public static final int EW_CREATEDIR = 11;

    /**
     * {@code File}: [overwrite flags, output name, data block offset, time low, time high, allow skip]. The opcode has
     * this number in every NSIS 2 and 3 build with the default features ({@code NSIS_SUPPORT_RENAME} and
     * {@code NSIS_SUPPORT_FNUTIL} before it).
     */
    public static final int EW_EXTRACTFILE = 20;

    /**
     * {@code WriteUninstaller}: [name, data block offset of the uninstaller's icons, their size]. NSIS 3 numbering
     * (NSIS 2 had one more opcode before it), so it is used only to name items.
     */
    public static final int EW_WRITEUNINSTALLER = 62;

    public static final int PARAMETERS = 6;

    public NsisEntry {
        if (parameters.length != PARAMETERS) {
            throw new IllegalArgumentException("an NSIS entry has 6 parameters: " + parameters.length);
        }
        parameters = parameters.clone();
    }

    /** Parameter {@code index} (0 to 5), as the signed 32-bit value the stub reads. */
    public int parameter(int index) {
        return parameters[index];
    }

    @Override
    public int[] parameters() {
        return parameters.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NsisEntry e && e.opcode == opcode && Arrays.equals(e.parameters, parameters);
    }

    @Override
    public int hashCode() {
        return 31 * opcode + Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
        return "NsisEntry[" + opcode + " " + Arrays.toString(parameters) + "]";
    }
}
