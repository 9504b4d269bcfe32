/*
 * The census itself: NativeHeap.census(...).
 *
 * Each heap scan and heap walk is a safepoint: the application is paused for it, and the census
 * times each. A walk (FollowReferences from the roots) reaches exactly the live objects; one that
 * reports every reference costs several times one that reports only the references to objects
 * of one class (JVMTI's class filter: HotSpot then skips its per-reference tag look-ups for every
 * other object), and a scan of the heap (IterateThroughHeap) costs less than either. So the
 * census is:
 *
 *  1. find: one scan of every instance of the kinds (subclasses too) counts them, and tags as
 *     candidates those whose threshold field (an int the scan reports with the object) does not
 *     say the table is short, and every instance of a kind without one;
 *  2. outside any safepoint, each candidate is fetched (GetObjectsWithTags) and its table's length
 *     read: a map whose table is long enough goes to the Java side, which reads it through its
 *     kind and says whether to track it, and whether to trace its holders all the way (a sparse
 *     map, to be reported) or only the direct one (a full map, tracked from then on); a kept map
 *     gets a record, its table carries the record's tag, and it is kept by a JNI weak reference
 *     only (no root of ours may hold it while the walks look for holders); every other candidate
 *     is untagged at once;
 *  3. hold: for each class of found map, the references to it: the best holder of each (a field
 *     of an object, a static field, a thread's local...). A reference that is only a weak or
 *     phantom referent, or comes from the agent's own objects, does not count: a found map with
 *     no other holder is not live and is dropped. A holder that is itself a wrapper (a HashSet),
 *     an array or a map entry gets a record of its own, whose holder the next round traces, by
 *     its class, the same way; an entry found in a table leads to the map whose table it is.
 *     Rounds go on while records wait and the time budget allows another walk. A found map whose
 *     walk saw no strong reference to it is garbage not yet collected: it is left out.
 *
 * Tags live in the census library's own JVMTI environment, made at the first census and kept for
 * the next ones, and each census ends, whatever happened, by clearing every tag it set: those of
 * the classes, threads and the agent's objects through the references it holds to them, the
 * rest (maps, tables, wrappers, arrays, entries) fetched by their tags. A census that recorded
 * too many objects for that to be quick disposes of the environment instead, which drops all its
 * tags at once (HotSpot keeps a few KB of a disposed environment: the next census makes a new
 * one). Every buffer comes from Allocate (so Native Memory Tracking sees it) and is deallocated;
 * every local reference lives in one local frame, popped at the end; every weak reference is
 * deleted.
 */
#include "census.h"

#include <stdio.h>
#include <string.h>

/* How often the callback reads the clock: every 4096 references it is told of. */
#define BUDGET_CHECK_MASK 0xFFF
#define FIRST_RECORDS 1024
#define FIRST_FRAMES 64
#define MAX_CHAIN 16
#define MAX_ROUNDS 8
/* Up to this many records, their tags are cleared one by one (GetObjectsWithTags costs about
 * records x tags); beyond it, the environment is disposed of. */
#define MAX_CLEARED_RECORDS 8192

/* The environment the censuses tag in; NULL until the first, or after one disposed of it. */
static jvmtiEnv *tagging_env = NULL;

/* ---- records and frames: growable arrays from Allocate, which heap callbacks may call ---- */

static int grow(census *c, void **items, uint32_t *capacity, uint32_t count, size_t item_size) {
    uint32_t wanted = *capacity * 2;
    unsigned char *grown = NULL;
    if ((*c->jvmti)->Allocate(c->jvmti, (jlong) wanted * (jlong) item_size, &grown) != JVMTI_ERROR_NONE) {
        c->stopped |= STOP_MEMORY;
        return 0;
    }
    memcpy(grown, *items, (size_t) count * item_size);
    census_free(c->jvmti, *items);
    *items = grown;
    *capacity = wanted;
    return 1;
}

static uint32_t new_record(census *c, uint8_t kind, uint32_t klass) {
    if (c->record_count >= c->record_limit) {
        c->stopped |= STOP_RECORDS;
        return 0;
    }
    if (c->record_count == c->record_capacity
            && !grow(c, (void **) &c->records, &c->record_capacity, c->record_count, sizeof(record))) {
        return 0;
    }
    uint32_t index = c->record_count++;
    record *r = &c->records[index];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->klass = klass;
    r->table_length = -1;
    return index;
}

static int32_t new_frame(census *c, jmethodID method, jlocation location, jlong thread_tag, jlong thread_id,
                         jint depth) {
    if (c->frame_count == c->frame_capacity
            && !grow(c, (void **) &c->frames, &c->frame_capacity, c->frame_count, sizeof(frame_ref))) {
        return -1;
    }
    frame_ref *f = &c->frames[c->frame_count];
    f->method = method;
    f->location = location;
    f->thread_id = thread_id;
    f->thread = TAG_TYPE(thread_tag) == TAG_THREAD && TAG_INDEX(thread_tag) < (uint32_t) c->thread_count
            ? (int32_t) TAG_INDEX(thread_tag) : -1;
    f->depth = depth;
    return (int32_t) c->frame_count++;
}

static record *record_of_tag(const census *c, jlong tag) {
    if (TAG_TYPE(tag) != TAG_RECORD || TAG_INDEX(tag) == 0 || TAG_INDEX(tag) >= c->record_count) {
        return NULL;
    }
    return &c->records[TAG_INDEX(tag)];
}

/* ---- what one reference says about the object it reaches ---- */

typedef struct {
    uint8_t holder;
    uint8_t rank;
    uint8_t needs;         /* R_* of a record the referrer needs before it can be the parent; 0 */
    uint32_t holder_class;
    int32_t detail;
    uint32_t parent;
} reference;

/*
 * How telling a holder is: a better one seen later replaces it. A field or a static says the
 * most; for an array or entry, the map it belongs to says even more; an object compiled into
 * running code (a JNI local of a Java frame) the least.
 */
static uint8_t rank_of(uint8_t holder, int of_intermediate, int from_entry) {
    switch (holder) {
        case H_TABLE: return of_intermediate ? 7 : 4;
        case H_FIELD: return from_entry ? (of_intermediate ? 1 : 4) : 6;
        case H_STATIC: return 6;
        case H_LOCAL: return 5;
        case H_ARRAY: return 3;
        case H_JNI_GLOBAL: return 2;
        case H_OTHER: return 1;
        default: return 0;
    }
}

static void describe(const census *c, jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info,
                     jlong referrer_class_tag, const jlong *referrer_tag_ptr, uint8_t referee_kind, int shallow,
                     reference *out) {
    memset(out, 0, sizeof *out);
    jlong referrer_tag = referrer_tag_ptr != NULL ? *referrer_tag_ptr : 0;
    const class_info *referrer = census_class_of(c, referrer_class_tag);
    int of_intermediate = referee_kind == R_ARRAY || referee_kind == R_ENTRY;
    switch (kind) {
        case JVMTI_HEAP_REFERENCE_FIELD:
            out->holder = H_FIELD;
            out->holder_class = census_class_index(c, referrer_class_tag);
            out->detail = info->field.index;
            break;
        case JVMTI_HEAP_REFERENCE_STATIC_FIELD:
            out->holder = H_STATIC;
            out->holder_class = TAG_TYPE(referrer_tag) == TAG_CLASS && TAG_INDEX(referrer_tag) < (uint32_t) c->class_count
                    ? TAG_INDEX(referrer_tag) : 0;
            out->detail = info->field.index;
            break;
        case JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT:
            out->holder = H_ARRAY;
            out->holder_class = census_class_index(c, referrer_class_tag);
            out->detail = info->array.index;
            break;
        case JVMTI_HEAP_REFERENCE_STACK_LOCAL:
            out->holder = H_LOCAL;
            break;
        case JVMTI_HEAP_REFERENCE_JNI_LOCAL:
            out->holder = H_JNI_LOCAL;
            break;
        case JVMTI_HEAP_REFERENCE_JNI_GLOBAL:
            out->holder = H_JNI_GLOBAL;
            break;
        default:
            out->holder = H_OTHER;
            out->detail = (int32_t) kind;
            break;
    }
    int from_entry = kind == JVMTI_HEAP_REFERENCE_FIELD && referrer != NULL && (referrer->flags & C_ENTRY);
    int is_field = kind == JVMTI_HEAP_REFERENCE_FIELD || kind == JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT;
    record *parent = record_of_tag(c, referrer_tag);
    if (TAG_TYPE(referrer_tag) == TAG_TABLE && TAG_INDEX(referrer_tag) < c->record_count && is_field) {
        out->holder = H_TABLE; /* an element of that map's table */
        out->parent = TAG_INDEX(referrer_tag);
    } else if (parent != NULL && is_field) {
        uint32_t p = TAG_INDEX(referrer_tag);
        if (parent->kind == R_MAP && of_intermediate && referrer != NULL && (referrer->flags & C_MAP)) {
            out->holder = H_TABLE; /* that map's table, or one of its entries (LinkedHashMap.head) */
            out->parent = p;
        } else if (parent->kind == R_WRAPPER) {
            /* Through the wrapper's own map field; any other field is a field like any other. */
            if (kind == JVMTI_HEAP_REFERENCE_FIELD && referrer != NULL && info->field.index == referrer->wrapped_field) {
                out->parent = p;
            }
        } else if (parent->kind == R_ARRAY || (parent->kind == R_ENTRY && !of_intermediate)) {
            out->parent = p;
        }
    } else if (referrer_tag == 0 && referrer != NULL && is_field && !shallow) {
        if (referrer->flags & C_ARRAY) {
            out->needs = R_ARRAY;
        } else if ((referrer->flags & C_ENTRY) && !of_intermediate) {
            out->needs = R_ENTRY; /* an entry holding an entry is a bucket's chain: not followed up */
        } else if ((referrer->flags & C_WRAPPER) && kind == JVMTI_HEAP_REFERENCE_FIELD
                   && info->field.index == referrer->wrapped_field) {
            out->needs = R_WRAPPER;
        } else if ((referrer->flags & C_MAP) && of_intermediate) {
            out->needs = R_MAP; /* an entry or a table of this map: the map it belongs to */
            out->holder = H_TABLE;
        }
    }
    out->rank = rank_of(out->holder, of_intermediate, from_entry);
}

/* Makes ref the holder of record index, creating what it needs (a record for its referrer, a frame). */
static void apply(census *c, uint32_t index, const reference *ref, jvmtiHeapReferenceKind kind,
                  const jvmtiHeapReferenceInfo *info, jlong referrer_class_tag, jlong *referrer_tag_ptr) {
    uint32_t parent = ref->parent;
    if (ref->needs != 0 && referrer_tag_ptr != NULL) {
        /* Out of records: the holder is still this reference, only not followed further up. */
        parent = new_record(c, ref->needs, census_class_index(c, referrer_class_tag));
        if (parent != 0) {
            c->records[parent].flags |= REC_PENDING;
            *referrer_tag_ptr = TAG_RECORD | (jlong) parent;
        }
    }
    int32_t detail = ref->detail;
    if (kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL) {
        detail = new_frame(c, info->stack_local.method, info->stack_local.location, info->stack_local.thread_tag,
                           info->stack_local.thread_id, info->stack_local.depth);
    } else if (kind == JVMTI_HEAP_REFERENCE_JNI_LOCAL) {
        detail = new_frame(c, info->jni_local.method, -1, info->jni_local.thread_tag, info->jni_local.thread_id,
                           info->jni_local.depth);
    }
    record *r = &c->records[index]; /* after the allocations above, which may move the array */
    r->holder = ref->holder;
    r->rank = ref->rank;
    r->holder_class = ref->holder_class;
    r->detail = detail;
    r->parent = parent;
}

/* ---- the reference callback ---- */

static jint JNICALL follow(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info, jlong class_tag,
                           jlong referrer_class_tag, jlong size, jlong *tag_ptr, jlong *referrer_tag_ptr,
                           jint length, void *user_data) {
    census *c = (census *) user_data;
    (void) size;
    (void) class_tag;
    (void) length;
    if ((++c->calls & BUDGET_CHECK_MASK) == 0 && census_now_nanos() > c->deadline_nanos) {
        c->stopped |= STOP_TIME;
        return JVMTI_VISIT_ABORT;
    }
    const class_info *referrer = census_class_of(c, referrer_class_tag);
    /* A weak or phantom referent is no reference that keeps anything alive: not followed. */
    if (kind == JVMTI_HEAP_REFERENCE_FIELD && referrer != NULL && (referrer->flags & C_WEAK)
            && referrer->referent_field == info->field.index) {
        return 0;
    }
    jlong tag = *tag_ptr;
    jlong referrer_tag = referrer_tag_ptr != NULL ? *referrer_tag_ptr : 0;
    if (tag == TAG_OWN || referrer_tag == TAG_OWN) {
        return 0; /* the agent's own objects: what only they hold is none of the application's */
    }
    record *r = record_of_tag(c, tag);
    if (r != NULL && (r->flags & REC_PENDING)) {
        reference ref;
        describe(c, kind, info, referrer_class_tag, referrer_tag_ptr, r->kind, (r->flags & REC_SHALLOW) != 0, &ref);
        if (ref.rank > r->rank || r->holder == H_NONE) {
            apply(c, TAG_INDEX(tag), &ref, kind, info, referrer_class_tag, referrer_tag_ptr);
        }
    }
    return JVMTI_VISIT_OBJECTS;
}

/* ---- the walks ---- */

/* One walk; filter is the one class whose references it reports, or NULL for all. */
static jvmtiError walk(census *c, jclass filter) {
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.heap_reference_callback = follow;
    int64_t start = census_now_nanos();
    jvmtiError error = (*c->jvmti)->FollowReferences(c->jvmti, 0, filter, NULL, &callbacks, c);
    if (c->walks < MAX_WALKS) {
        c->walk_nanos[c->walks] = census_now_nanos() - start;
    }
    c->walks++;
    return error;
}

/* The longest walk so far: what the next one will cost, about. */
static int64_t longest_walk(const census *c) {
    int64_t longest = 0;
    for (int i = 0; i < c->walks && i < MAX_WALKS; i++) {
        longest = c->walk_nanos[i] > longest ? c->walk_nanos[i] : longest;
    }
    return longest;
}

/* Walks reporting the references to these classes: one each, or one for all when they are many. */
static jvmtiError walk_classes(census *c, const jclass *classes, int count) {
    jvmtiError error = JVMTI_ERROR_NONE;
    if (count > MAX_FILTERED_WALKS) {
        return walk(c, NULL);
    }
    for (int i = 0; i < count && error == JVMTI_ERROR_NONE && !(c->stopped & STOP_TIME); i++) {
        if (i > 0 && census_now_nanos() + longest_walk(c) > c->deadline_nanos) {
            c->stopped |= STOP_HOLDERS;
            break;
        }
        error = walk(c, classes[i]);
    }
    return error;
}

/*
 * The scan's callbacks. Every instance of a kind is counted. It is a candidate, whose table is
 * read afterwards, when its kind has no threshold field, or when its threshold or its load
 * factor says the table may be long enough: a threshold is the table's length times the load
 * factor, so with a load factor of MIN_LOAD_FACTOR or more, a table of min_table_length slots
 * or more has a threshold of min_threshold or more (the length times MIN_LOAD_FACTOR, less one
 * for the float's rounding), and a negative one means a table is being made. Every other map's
 * table is short, and the census takes no reference to it: a heap of millions of small maps
 * costs only the scan's callbacks, not a JNI local reference and two field reads each (HotSpot
 * keeps the memory of local references at its high-water mark for the life of the JVM).
 */
#define MIN_LOAD_FACTOR 0.5f

static jint JNICALL see_map(jlong class_tag, jlong size, jlong *tag_ptr, jint length, void *user_data) {
    census *c = (census *) user_data;
    (void) size;
    (void) length;
    if ((++c->calls & BUDGET_CHECK_MASK) == 0 && census_now_nanos() > c->deadline_nanos) {
        c->stopped |= STOP_TIME;
        return JVMTI_VISIT_ABORT;
    }
    const class_info *info = census_class_of(c, class_tag);
    if (info != NULL && (info->flags & C_MAP) && info->kind >= 0) {
        c->maps_by_kind[info->kind]++;
        if (*tag_ptr == 0 && info->threshold_field < 0) {
            *tag_ptr = TAG_CANDIDATE | (jlong) info->kind;
        }
    }
    return 0;
}

static jint JNICALL see_map_field(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *reference,
                                  jlong class_tag, jlong *tag_ptr, jvalue value, jvmtiPrimitiveType type,
                                  void *user_data) {
    census *c = (census *) user_data;
    if (kind != JVMTI_HEAP_REFERENCE_FIELD || *tag_ptr != 0) {
        return 0;
    }
    const class_info *info = census_class_of(c, class_tag);
    if (info == NULL || !(info->flags & C_MAP) || info->kind < 0 || info->threshold_field < 0) {
        return 0;
    }
    jint index = reference->field.index;
    int may_be_long = (index == info->threshold_field && type == JVMTI_PRIMITIVE_TYPE_INT
                       && (value.i < 0 || value.i >= info->min_threshold))
            || (index == info->load_factor_field && type == JVMTI_PRIMITIVE_TYPE_FLOAT
                && !(value.f >= MIN_LOAD_FACTOR));
    if (may_be_long) {
        *tag_ptr = TAG_CANDIDATE | (jlong) info->kind;
    }
    return 0;
}

/*
 * The scan that finds every kind's maps, subclasses included: one pass over the heap (a
 * safepoint) that reports only the objects whose class is tagged, and only the map classes are
 * tagged yet (census_load_classes), so the callbacks see the maps alone. (A scan filtered by a
 * class reports that exact class, not its subclasses; IterateOverInstancesOfClass reports them,
 * but not their fields.)
 */
static jvmtiError find_maps(census *c) {
    int64_t start = census_now_nanos();
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.heap_iteration_callback = see_map;
    callbacks.primitive_field_callback = see_map_field;
    jvmtiError error = (*c->jvmti)->IterateThroughHeap(c->jvmti, JVMTI_HEAP_FILTER_CLASS_UNTAGGED, NULL, &callbacks, c);
    if (c->walks < MAX_WALKS) {
        c->walk_nanos[c->walks] = census_now_nanos() - start;
    }
    c->walks++;
    return error;
}

/*
 * Outside any safepoint: fetches the candidates, reads each one's table length, and keeps those
 * long enough as found maps (a record, the record's tag on the map and on its table, a JNI weak
 * reference); every other candidate is untagged at once. The scans also reported maps that are
 * garbage not collected yet: the walks that follow leave those out.
 */
static jvmtiError examine_candidates(census *c, jobject sink, jmethodID candidate) {
    jlong tags[MAX_KINDS];
    for (int k = 0; k < c->kind_count; k++) {
        tags[k] = TAG_CANDIDATE | (jlong) k;
    }
    jint count = 0;
    jobject *objects = NULL;
    jvmtiError error = (*c->jvmti)->GetObjectsWithTags(c->jvmti, c->kind_count, tags, &count, &objects, NULL);
    if (error != JVMTI_ERROR_NONE) {
        return error;
    }
    for (jint i = 0; i < count; i++) {
        jobject map = objects[i];
        /* A frame for each: HotSpot reuses the slot of a deleted local reference only now and
         * then, and keeps the blocks a thread's references took. */
        if ((*c->jni)->PushLocalFrame(c->jni, 4) != JNI_OK) {
            (*c->jni)->ExceptionClear(c->jni);
            (*c->jvmti)->SetTag(c->jvmti, map, 0);
            (*c->jni)->DeleteLocalRef(c->jni, map);
            continue;
        }
        jclass klass = (*c->jni)->GetObjectClass(c->jni, map);
        jlong class_tag = 0;
        (*c->jvmti)->GetTag(c->jvmti, klass, &class_tag);
        (*c->jni)->DeleteLocalRef(c->jni, klass);
        const class_info *info = census_class_of(c, class_tag);
        jobject table = info != NULL && info->table_id != NULL ? (*c->jni)->GetObjectField(c->jni, map, info->table_id)
                                                               : NULL;
        jlong keep = 0;
        if (table != NULL) {
            jint length = (*c->jni)->GetArrayLength(c->jni, (jarray) table);
            /* The Java side reads it through its kind: 0 leave it, 1 its holder, 2 its holders all the way. */
            jint wanted = length >= info->min_table_length
                    ? (*c->jni)->CallIntMethod(c->jni, sink, candidate, map, (jint) info->kind) : 0;
            if ((*c->jni)->ExceptionCheck(c->jni)) {
                wanted = 0;
                (*c->jni)->ExceptionClear(c->jni);
            }
            if (wanted > 0) {
                uint32_t index = new_record(c, R_MAP, TAG_INDEX(class_tag));
                if (index != 0) {
                    record *r = &c->records[index];
                    r->table_length = length;
                    r->flags |= REC_BIG | REC_PENDING | (wanted == 1 ? REC_SHALLOW : 0);
                    r->weak = (*c->jni)->NewWeakGlobalRef(c->jni, map);
                    c->big_count++;
                    keep = TAG_RECORD | (jlong) index;
                    (*c->jvmti)->SetTag(c->jvmti, table, TAG_TABLE | (jlong) index);
                }
            }
            (*c->jni)->DeleteLocalRef(c->jni, table);
        }
        (*c->jni)->PopLocalFrame(c->jni, NULL);
        (*c->jvmti)->SetTag(c->jvmti, map, keep);
        (*c->jni)->DeleteLocalRef(c->jni, map);
    }
    census_free(c->jvmti, objects);
    return (*c->jni)->ExceptionCheck(c->jni) ? JVMTI_ERROR_OUT_OF_MEMORY : JVMTI_ERROR_NONE;
}

/* Rounds of walks, each reporting the references to the classes whose records wait for a holder. */
static jvmtiError trace_holders(census *c) {
    jvmtiError error = JVMTI_ERROR_NONE;
    for (int round = 0; round < MAX_ROUNDS && error == JVMTI_ERROR_NONE; round++) {
        jclass classes[MAX_FILTERED_WALKS + 1];
        uint32_t class_indexes[MAX_FILTERED_WALKS + 1];
        int count = 0;
        for (uint32_t i = 1; i < c->record_count; i++) {
            record *r = &c->records[i];
            if (!(r->flags & REC_PENDING) || (r->flags & REC_TRACED)) {
                continue;
            }
            int seen = 0;
            for (int j = 0; j < count && !seen; j++) {
                seen = class_indexes[j] == r->klass;
            }
            if (!seen && count <= MAX_FILTERED_WALKS && r->klass != 0) {
                class_indexes[count] = r->klass;
                classes[count++] = c->classes[r->klass].klass;
            }
        }
        if (count == 0) {
            return JVMTI_ERROR_NONE;
        }
        if (census_now_nanos() + longest_walk(c) * (count > MAX_FILTERED_WALKS ? 4 : 1) > c->deadline_nanos) {
            c->stopped |= STOP_HOLDERS;
            return JVMTI_ERROR_NONE;
        }
        /* Records made during these walks wait for the next round. */
        uint32_t waiting = c->record_count;
        error = walk_classes(c, classes, count);
        if (c->stopped & (STOP_TIME | STOP_HOLDERS)) {
            return error;
        }
        for (uint32_t i = 1; i < waiting; i++) {
            record *r = &c->records[i];
            int walked = count > MAX_FILTERED_WALKS;
            for (int j = 0; j < count && !walked; j++) {
                walked = class_indexes[j] == r->klass;
            }
            if ((r->flags & REC_PENDING) && walked) {
                r->flags |= REC_TRACED;
                r->flags &= (uint8_t) ~REC_PENDING;
            }
        }
    }
    return error;
}

/* ---- handing the result over ---- */

static jvmtiError tag_threads(census *c) {
    jvmtiError error = (*c->jvmti)->GetAllThreads(c->jvmti, &c->thread_count, &c->threads);
    for (jint i = 0; error == JVMTI_ERROR_NONE && i < c->thread_count; i++) {
        error = (*c->jvmti)->SetTag(c->jvmti, c->threads[i], TAG_THREAD | (jlong) i);
    }
    return error;
}

static jvmtiError tag_own(census *c, jobjectArray own, jobject sink) {
    jint count = own != NULL ? (*c->jni)->GetArrayLength(c->jni, own) : 0;
    jvmtiError error = (*c->jvmti)->SetTag(c->jvmti, sink, TAG_OWN);
    for (jint i = 0; error == JVMTI_ERROR_NONE && i < count; i++) {
        jobject item = (*c->jni)->GetObjectArrayElement(c->jni, own, i);
        if (item != NULL) {
            error = (*c->jvmti)->SetTag(c->jvmti, item, TAG_OWN);
            (*c->jni)->DeleteLocalRef(c->jni, item);
        }
    }
    if (error == JVMTI_ERROR_NONE && own != NULL) {
        error = (*c->jvmti)->SetTag(c->jvmti, own, TAG_OWN);
    }
    return error;
}

/* Found maps whose holder, or a holder on whose chain, was not traced (the budget ran out). */
static uint32_t unresolved(const census *c) {
    uint32_t count = 0;
    for (uint32_t i = 1; i < c->record_count; i++) {
        if (c->records[i].weak == NULL) {
            continue;
        }
        uint32_t p = i;
        for (int depth = 0; p != 0 && p < c->record_count && depth < MAX_CHAIN; depth++) {
            if (!(c->records[p].flags & REC_TRACED)) {
                count++;
                break;
            }
            p = c->records[p].parent;
        }
    }
    return count;
}

/*
 * Hands every found map to the sink, with the records of what holds it. A map whose walk ran
 * and found no reference to it but weak ones, or the agent's own, is not live: left out.
 */
static void report_found(census *c, jobject sink, jmethodID found, jmethodID hop) {
    for (uint32_t i = 1; i < c->record_count && !(*c->jni)->ExceptionCheck(c->jni); i++) {
        record *r = &c->records[i];
        if (r->weak == NULL) {
            continue;
        }
        jobject map = (*c->jni)->NewLocalRef(c->jni, r->weak);
        int live = map != NULL && !(r->holder == H_NONE && (r->flags & REC_TRACED));
        if (live) {
            jint kind = r->klass != 0 && r->klass < (uint32_t) c->class_count ? c->classes[r->klass].kind : -1;
            if (census_emit(c, sink, hop, i)) {
                (*c->jni)->CallVoidMethod(c->jni, sink, found, map, kind, (jint) i);
            }
        }
        if (map != NULL) {
            (*c->jni)->DeleteLocalRef(c->jni, map);
        }
    }
}

static void release_weak(census *c) {
    for (uint32_t i = 1; c->records != NULL && i < c->record_count; i++) {
        if (c->records[i].weak != NULL) {
            (*c->jni)->DeleteWeakGlobalRef(c->jni, c->records[i].weak);
            c->records[i].weak = NULL;
        }
    }
}

/* Sets every tag this census set back to none. Returns how many it could not clear. */
static jlong clear_tags(census *c, jobjectArray own, jobject sink) {
    jvmtiEnv *jvmti = c->jvmti;
    for (jint i = 1; c->classes != NULL && i < c->class_count; i++) {
        if (c->classes[i].klass != NULL) {
            (*jvmti)->SetTag(jvmti, c->classes[i].klass, 0);
        }
    }
    for (jint i = 0; c->threads != NULL && i < c->thread_count; i++) {
        (*jvmti)->SetTag(jvmti, c->threads[i], 0);
    }
    jint count = own != NULL ? (*c->jni)->GetArrayLength(c->jni, own) : 0;
    for (jint i = 0; i < count; i++) {
        jobject item = (*c->jni)->GetObjectArrayElement(c->jni, own, i);
        if (item != NULL) {
            (*jvmti)->SetTag(jvmti, item, 0);
            (*c->jni)->DeleteLocalRef(c->jni, item);
        }
    }
    if (own != NULL) {
        (*jvmti)->SetTag(jvmti, own, 0);
    }
    (*jvmti)->SetTag(jvmti, sink, 0);
    /* The rest by their tags: candidates left by a stopped census, maps, tables (also one a map
     * dropped since), wrappers, arrays, entries. */
    jint wanted = 2 * (jint) c->record_count + c->kind_count;
    jlong *tags = NULL;
    if ((*jvmti)->Allocate(jvmti, (jlong) wanted * (jlong) sizeof(jlong), (unsigned char **) &tags) != JVMTI_ERROR_NONE) {
        return -1;
    }
    jint n = 0;
    for (int k = 0; k < c->kind_count; k++) {
        tags[n++] = TAG_CANDIDATE | (jlong) k;
    }
    for (uint32_t i = 1; i < c->record_count; i++) {
        tags[n++] = TAG_RECORD | (jlong) i;
        tags[n++] = TAG_TABLE | (jlong) i;
    }
    jlong left = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        jint found = 0;
        jobject *objects = NULL;
        if ((*jvmti)->GetObjectsWithTags(jvmti, n, tags, &found, &objects, NULL) != JVMTI_ERROR_NONE) {
            left = -1;
            break;
        }
        for (jint i = 0; i < found; i++) {
            if (attempt == 0) {
                (*jvmti)->SetTag(jvmti, objects[i], 0);
            }
            (*c->jni)->DeleteLocalRef(c->jni, objects[i]);
        }
        census_free(jvmti, objects);
        left = attempt == 0 ? 0 : found; /* the second look is the check: nothing is left */
    }
    census_free(jvmti, tags);
    return left;
}

static void report_stats(census *c, jobject sink, jmethodID stats, int64_t started, jlong tags_left,
                         uint32_t untraced) {
    int walks = c->walks < MAX_WALKS ? c->walks : MAX_WALKS;
    jlong values[10 + MAX_KINDS + MAX_WALKS];
    memset(values, 0, sizeof values);
    int64_t pause = 0;
    for (int i = 0; i < walks; i++) {
        pause += c->walk_nanos[i];
    }
    values[0] = walks;
    values[1] = pause;
    values[2] = (jlong) c->record_count - 1;
    values[3] = c->stopped;
    values[4] = c->big_count;
    values[5] = c->loaded_count;
    values[6] = census_now_nanos() - started;
    values[7] = untraced;
    values[8] = c->kind_count;
    values[9] = tags_left;
    for (int k = 0; k < c->kind_count; k++) {
        values[10 + k] = c->maps_by_kind[k];
    }
    for (int i = 0; i < walks; i++) {
        values[10 + c->kind_count + i] = c->walk_nanos[i];
    }
    jint length = 10 + c->kind_count + walks;
    jlongArray array = (*c->jni)->NewLongArray(c->jni, length);
    if (array == NULL) {
        return;
    }
    (*c->jni)->SetLongArrayRegion(c->jni, array, 0, length, values);
    (*c->jni)->CallVoidMethod(c->jni, sink, stats, array);
    (*c->jni)->DeleteLocalRef(c->jni, array);
}

static jvmtiError add_capabilities(jvmtiEnv *jvmti) {
    jvmtiCapabilities potential;
    jvmtiCapabilities wanted;
    memset(&potential, 0, sizeof potential);
    memset(&wanted, 0, sizeof wanted);
    jvmtiError error = (*jvmti)->GetPotentialCapabilities(jvmti, &potential);
    if (error != JVMTI_ERROR_NONE) {
        return error;
    }
    if (!potential.can_tag_objects) {
        return JVMTI_ERROR_MUST_POSSESS_CAPABILITY;
    }
    wanted.can_tag_objects = 1;
    /* For frames such as Job.run(Job.java:31); without them frames say less, nothing fails. */
    wanted.can_get_line_numbers = potential.can_get_line_numbers;
    wanted.can_get_source_file_name = potential.can_get_source_file_name;
    return (*jvmti)->AddCapabilities(jvmti, &wanted);
}

void JNICALL census_run(JNIEnv *jni, jclass native_heap, jobjectArray kinds, jobjectArray table_fields,
                        jobjectArray threshold_fields, jobjectArray load_factor_fields, jintArray min_lengths,
                        jobjectArray wrappers, jobjectArray wrapped_fields, jobjectArray own, jlong budget_nanos,
                        jint max_records, jobject sink) {
    (void) native_heap;
    int64_t started = census_now_nanos();
    census c;
    memset(&c, 0, sizeof c);
    c.jni = jni;
    int fresh = tagging_env == NULL;
    if (fresh) {
        JavaVM *vm = NULL;
        if ((*jni)->GetJavaVM(jni, &vm) != JNI_OK
                || (*vm)->GetEnv(vm, (void **) &tagging_env, JVMTI_VERSION_1_2) != JNI_OK || tagging_env == NULL) {
            tagging_env = NULL;
            census_throw_message(jni, "census: this JVM offers no JVMTI environment");
            return;
        }
    }
    c.jvmti = tagging_env;
    if ((*jni)->PushLocalFrame(jni, 64) != JNI_OK) {
        return; /* OutOfMemoryError is pending */
    }
    jclass sink_class = (*jni)->GetObjectClass(jni, sink);
    jmethodID found = (*jni)->GetMethodID(jni, sink_class, "found", "(Ljava/lang/Object;II)V");
    jmethodID hop = found == NULL ? NULL : (*jni)->GetMethodID(jni, sink_class, "hop",
            "(IIIILjava/lang/String;ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;"
            "Ljava/lang/String;Ljava/lang/String;)V");
    jmethodID stats = hop == NULL ? NULL : (*jni)->GetMethodID(jni, sink_class, "stats", "([J)V");
    jmethodID candidate = stats == NULL ? NULL
            : (*jni)->GetMethodID(jni, sink_class, "candidate", "(Ljava/lang/Object;I)I");
    const char *step = "adding the tagging capability";
    jvmtiError error = JVMTI_ERROR_NONE;
    jlong tags_left = 0;
    uint32_t untraced = 0;
    int unusable = 0; /* an environment without the tagging capability is no use to keep */
    if (candidate == NULL) {
        goto done; /* NoSuchMethodError is pending */
    }
    if (fresh) {
        error = add_capabilities(c.jvmti);
        unusable = error != JVMTI_ERROR_NONE;
    }
    if (error == JVMTI_ERROR_NONE) {
        step = "allocating the census's records";
        c.record_limit = max_records > 0 ? (uint32_t) max_records + 1 : 1;
        c.record_capacity = FIRST_RECORDS;
        c.frame_capacity = FIRST_FRAMES;
        c.record_count = 1;
        error = (*c.jvmti)->Allocate(c.jvmti, (jlong) c.record_capacity * (jlong) sizeof(record),
                                     (unsigned char **) &c.records);
    }
    if (error == JVMTI_ERROR_NONE) {
        error = (*c.jvmti)->Allocate(c.jvmti, (jlong) c.frame_capacity * (jlong) sizeof(frame_ref),
                                     (unsigned char **) &c.frames);
    }
    if (error == JVMTI_ERROR_NONE) {
        step = "tagging the loaded classes";
        error = census_load_classes(&c, kinds, table_fields, threshold_fields, load_factor_fields, min_lengths, wrappers,
                                    wrapped_fields);
    }
    if (error == JVMTI_ERROR_NONE) {
        step = "tagging the threads";
        error = tag_threads(&c);
    }
    if (error == JVMTI_ERROR_NONE) {
        step = "tagging the agent's own objects";
        error = tag_own(&c, own, sink);
    }
    if (error != JVMTI_ERROR_NONE || (*jni)->ExceptionCheck(jni)) {
        goto done;
    }
    c.deadline_nanos = started + budget_nanos;
    step = "scanning the heap for maps";
    error = find_maps(&c);
    if (error == JVMTI_ERROR_NONE) {
        step = "tagging the loaded classes";
        error = census_tag_classes(&c, 0);
    }
    if (error == JVMTI_ERROR_NONE) {
        step = "reading the maps found";
        error = examine_candidates(&c, sink, candidate); /* also when the scans stopped: their tags must go */
    }
    if (error == JVMTI_ERROR_NONE && !(c.stopped & STOP_TIME)) {
        step = "walking the heap for what holds the maps";
        error = trace_holders(&c);
    }
    if (error == JVMTI_ERROR_NONE && !(*jni)->ExceptionCheck(jni)) {
        report_found(&c, sink, found, hop);
    }

done:
    untraced = unresolved(&c); /* before the weak references go */
    release_weak(&c);
    {
        /* Whatever happened, the tags go; an exception the Java side threw waits until then. */
        jthrowable pending = (*jni)->ExceptionOccurred(jni);
        (*jni)->ExceptionClear(jni);
        if (c.record_count <= MAX_CLEARED_RECORDS) {
            tags_left = clear_tags(&c, own, sink);
        }
        int dispose = unusable || c.record_count > MAX_CLEARED_RECORDS || tags_left != 0;
        char what[256];
        what[0] = '\0';
        if (error != JVMTI_ERROR_NONE) {
            char name[96];
            snprintf(what, sizeof what, "census: %s failed: %s", step,
                     census_error_name(c.jvmti, error, name, sizeof name));
        } else if (pending == NULL) {
            report_stats(&c, sink, stats, started, dispose ? 0 : tags_left, untraced);
        }
        census_free(c.jvmti, c.records);
        census_free(c.jvmti, c.frames);
        census_free(c.jvmti, c.classes);
        census_free(c.jvmti, c.loaded);
        census_free(c.jvmti, c.threads);
        if (dispose) {
            (*c.jvmti)->DisposeEnvironment(c.jvmti); /* drops every tag left at once */
            tagging_env = NULL;
        }
        pending = (jthrowable) (*jni)->PopLocalFrame(jni, pending);
        if (pending != NULL) {
            (*jni)->Throw(jni, pending);
        } else if (what[0] != '\0') {
            census_throw_message(jni, what);
        }
    }
}
