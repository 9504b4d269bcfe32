package dev.mapretention.agent.boot;

/**
 * The shared sites by their keys ({@link SiteTable.SiteKey}): at most {@code maxSites} of them,
 * kept for the agent's life. Its own code rather than a {@code ConcurrentHashMap}, for the reason
 * {@link TrackedMaps} gives: the JDK map's compiled code and its type profiles are shared with
 * the application's. Open addressing in a power-of-two array at most half full; every call holds
 * the index's lock, which only the agent's thread takes (and an application thread, rarely, when
 * too many sites wait to be resolved), never for longer than a look-up.
 */
final class SiteIndex {

    private SiteTable.SiteKey[] keys = new SiteTable.SiteKey[64];
    private Site[] sites = new Site[64];
    private int size;

    /** The site of this key, or null. */
    synchronized Site get(SiteTable.SiteKey key) {
        int i = slot(keys, key);
        return keys[i] == null ? null : sites[i];
    }

    /**
     * Adds {@code site} for {@code key} (which the index then owns) unless the key has one;
     * returns that one, or null when {@code site} was added.
     */
    synchronized Site putIfAbsent(SiteTable.SiteKey key, Site site) {
        int i = slot(keys, key);
        if (keys[i] != null) {
            return sites[i];
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
            i = slot(keys, key);
        }
        keys[i] = key;
        sites[i] = site;
        size++;
        return null;
    }

    synchronized int size() {
        return size;
    }

    private void grow() {
        SiteTable.SiteKey[] oldKeys = keys;
        Site[] oldSites = sites;
        keys = new SiteTable.SiteKey[oldKeys.length * 2];
        sites = new Site[oldKeys.length * 2];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = slot(keys, oldKeys[j]);
                keys[i] = oldKeys[j];
                sites[i] = oldSites[j];
            }
        }
    }

    /** The key's slot, or the free slot where it would go. */
    private static int slot(SiteTable.SiteKey[] keys, SiteTable.SiteKey key) {
        int hash = key.hashCode();
        int mask = keys.length - 1;
        for (int i = (hash ^ (hash >>> 16)) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == null || keys[i].equals(key)) {
                return i;
            }
        }
    }
}
