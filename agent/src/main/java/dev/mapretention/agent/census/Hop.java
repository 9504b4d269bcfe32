package dev.mapretention.agent.census;

/**
 * One object on the way from a found map to its holder, as the native walk recorded it: what
 * the object is and the reference that holds it.
 *
 * @param id            the walk's record number
 * @param parent        the record of the object holding this one, or 0
 * @param recordKind    {@link Holders#MAP}, {@link Holders#WRAPPER}, {@link Holders#ARRAY} or {@link Holders#ENTRY}
 * @param definition    the index of its kind (a map) or wrapper (a wrapper) in the lists the census
 *                      was given, or -1
 * @param objectClass   the class of the object
 * @param holderKind    one of {@link Holders}' H_ constants: how it is held
 * @param holderClass   for a field: the class declaring it; for a static: the class
 * @param referrerClass the class of the object holding it (a field's, an array's)
 * @param member        the field's name; for another root, the root's kind
 * @param thread        for a local variable or JNI local: the thread's name
 * @param frame         for a local variable or JNI local: the frame, {@code Class.method(File.java:31)}
 */
record Hop(int id, int parent, int recordKind, int definition, String objectClass, int holderKind,
           String holderClass, String referrerClass, String member, String thread, String frame) {
}
