package de.prokommun.insights.privacy;

/**
 * Primary and complementary suppression on noisy values.
 * <p>Primary: a cell whose noisy value is below the threshold is suppressed.
 * <p>Complementary: in a breakdown (two or more cells) whose total can be learnt (we assume it always can,
 * as the total is a question of its own), a single suppressed cell would be the total minus the shown cells.
 * So when exactly one cell is suppressed, the shown cell with the smallest noisy value (ties: the first
 * label in order) is suppressed too; then no suppressed cell can be isolated by subtraction.
 * Both rules look only at noisy values, so they are post-processing and cost no privacy budget.
 */
final class Suppression {
    private Suppression() {}

    static boolean[] suppress(long[] noisy, String[] labels, long threshold) {
        boolean[] suppressed = new boolean[noisy.length];
        int count = 0;
        for (int i = 0; i < noisy.length; i++) {
            suppressed[i] = noisy[i] < threshold;
            if (suppressed[i]) count++;
        }
        if (noisy.length >= 2 && count == 1) {
            int smallest = -1;
            for (int i = 0; i < noisy.length; i++) {
                if (suppressed[i]) continue;
                if (smallest < 0 || noisy[i] < noisy[smallest]
                        || (noisy[i] == noisy[smallest] && labels[i].compareTo(labels[smallest]) < 0)) smallest = i;
            }
            suppressed[smallest] = true;
        }
        return suppressed;
    }
}
