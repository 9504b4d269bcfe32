/*
 * The census itself: NativeHeap.census(...).
 *
 * One FollowReferences walk from the roots (a safepoint: the application is paused) reaches
 * exactly the live objects. Its callback gives each map and wrapper (HashSet, ...) it reaches a
 * record with the best reference to it seen so far, and learns a map's table length when the map
 * itself is walked; a map whose table is long enough is tagged BIG then, and its table carries
 * its record, so that the maps can be fetched back with one GetObjectsWithTags(BIG) and their
 * records found again through their tables. Maps reached only through a weak or phantom
 * reference, or only from garbage, are never reached: they are not reported.
 *
 * A map held in an array or in a map entry needs the holder of that array or entry, which was
 * reported before the walk knew it mattered: a second walk, only when such maps were found and
 * the time budget allows, records those holders (and tags every map's table with the map's
 * record, so that an entry found in a table names its map).
 *
 * Nothing is tagged outside the census's own JVMTI environment, which is disposed of at the end
 * whatever happened: every tag goes with it. Every buffer comes from Allocate (so Native Memory
 * Tracking sees it) and is deallocated; every local reference lives in one local frame, popped
 * at the end.
 */
#include "census.h"

#include <stdio.h>
#include <string.h>

/* How often the callback reads the clock: every 4096 references. */
#define BUDGET_CHECK_MASK 0xFFF
#define FIRST_RECORDS 4096
#define FIRST_FRAMES 64
#define MAX_CHAIN 16

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

/* ---- what one reference says about the object it reaches ---- */

typedef struct {
    uint8_t holder;
    uint8_t rank;
    uint8_t intermediate;  /* R_ARRAY or R_ENTRY: the referrer needs a record of its own; 0 */
    uint32_t holder_class;
    int32_t detail;
    uint32_t parent;
} reference;

/* Field and static holders tell the most; an object compiled into running code the least. */
static uint8_t rank_of(uint8_t holder, int through_entry) {
    switch (holder) {
        case H_FIELD: return through_entry ? 4 : 6;
        case H_STATIC: return 6;
        case H_LOCAL: return 5;
        case H_TABLE: return 4;
        case H_ARRAY: return 3;
        case H_JNI_GLOBAL: return 2;
        case H_OTHER: return 1;
        default: return 0;
    }
}

static void describe(const census *c, jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info,
                     jlong referrer_class_tag, const jlong *referrer_tag_ptr, int may_add_records,
                     reference *out) {
    memset(out, 0, sizeof *out);
    jlong referrer_tag = referrer_tag_ptr != NULL ? *referrer_tag_ptr : 0;
    const class_info *referrer = census_class_of(c, referrer_class_tag);
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
    int through_entry = 0;
    if (TAG_TYPE(referrer_tag) == TAG_RECORD && TAG_INDEX(referrer_tag) < c->record_count) {
        uint32_t p = TAG_INDEX(referrer_tag);
        const record *parent = &c->records[p];
        if (parent->kind == R_MAP && kind == JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT) {
            out->holder = H_TABLE; /* an element of that map's table */
            out->parent = p;
        } else if (parent->kind == R_MAP && kind == JVMTI_HEAP_REFERENCE_FIELD && referrer != NULL
                   && info->field.index == referrer->table_field) {
            out->holder = H_TABLE; /* that map's table itself (values kept in it directly) */
            out->parent = p;
        } else if (parent->kind == R_WRAPPER) {
            /* Through the wrapper's own map field; any other field is a field like any other. */
            if (kind == JVMTI_HEAP_REFERENCE_FIELD && referrer != NULL && info->field.index == referrer->wrapped_field) {
                out->parent = p;
            }
        } else if (parent->kind == R_ARRAY || parent->kind == R_ENTRY) {
            out->parent = p;
            through_entry = parent->kind == R_ENTRY;
        }
    } else if (referrer_tag == 0 && referrer != NULL && may_add_records
               && (kind == JVMTI_HEAP_REFERENCE_FIELD || kind == JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT)) {
        if (referrer->flags & C_ARRAY) {
            out->intermediate = R_ARRAY;
        } else if (referrer->flags & C_ENTRY) {
            out->intermediate = R_ENTRY;
            through_entry = 1;
        }
    }
    out->rank = rank_of(out->holder, through_entry);
}

/* Makes ref the holder of record index, creating what it needs (a record for its referrer, a frame). */
static void apply(census *c, uint32_t index, const reference *ref, jvmtiHeapReferenceKind kind,
                  const jvmtiHeapReferenceInfo *info, jlong referrer_class_tag, jlong *referrer_tag_ptr) {
    uint32_t parent = ref->parent;
    if (ref->intermediate != 0 && referrer_tag_ptr != NULL) {
        parent = new_record(c, ref->intermediate, census_class_index(c, referrer_class_tag));
        if (parent == 0) {
            return;
        }
        *referrer_tag_ptr = TAG_RECORD | (jlong) parent;
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
    if ((++c->calls & BUDGET_CHECK_MASK) == 0 && census_now_nanos() > c->deadline_nanos) {
        c->stopped |= STOP_TIME;
        return JVMTI_VISIT_ABORT;
    }
    const class_info *referrer = census_class_of(c, referrer_class_tag);
    /* A weak or phantom referent is no reference that keeps anything alive: not followed. */
    if (kind == JVMTI_HEAP_REFERENCE_FIELD && referrer != NULL && referrer->referent_field == info->field.index
            && (referrer->flags & C_WEAK)) {
        return 0;
    }
    jlong tag = *tag_ptr;
    if (tag == TAG_OWN) {
        return 0; /* the agent's own objects: what only they hold is none of the application's */
    }
    jlong referrer_tag = referrer_tag_ptr != NULL ? *referrer_tag_ptr : 0;
    const class_info *referee = census_class_of(c, class_tag);

    if (c->pass == 1) {
        if (referee != NULL && (referee->flags & (C_MAP | C_WRAPPER))) {
            if (tag != 0 && TAG_TYPE(tag) != TAG_RECORD) {
                return JVMTI_VISIT_OBJECTS; /* a big map already walked: its holder is settled */
            }
            reference ref;
            describe(c, kind, info, referrer_class_tag, referrer_tag_ptr, 1, &ref);
            if (tag == 0) {
                /* A class that is both (Properties is a Hashtable) is looked at as a wrapper. */
                int is_map = !(referee->flags & C_WRAPPER);
                uint32_t index = new_record(c, is_map ? R_MAP : R_WRAPPER, census_class_index(c, class_tag));
                if (index != 0) {
                    apply(c, index, &ref, kind, info, referrer_class_tag, referrer_tag_ptr);
                    *tag_ptr = TAG_RECORD | (jlong) index;
                    if (is_map && referee->kind >= 0) {
                        c->maps_by_kind[referee->kind]++;
                    }
                }
            } else {
                uint32_t index = TAG_INDEX(tag);
                if (index < c->record_count && ref.rank > c->records[index].rank) {
                    apply(c, index, &ref, kind, info, referrer_class_tag, referrer_tag_ptr);
                }
            }
            return JVMTI_VISIT_OBJECTS;
        }
        /* A map being walked reports its table: now its size is known. */
        if (kind == JVMTI_HEAP_REFERENCE_FIELD && TAG_TYPE(referrer_tag) == TAG_RECORD && referrer != NULL
                && (referrer->flags & C_MAP) && info->field.index == referrer->table_field && length >= 0) {
            uint32_t index = TAG_INDEX(referrer_tag);
            if (index < c->record_count && c->records[index].kind == R_MAP) {
                record *r = &c->records[index];
                r->table_length = length;
                if (length >= referrer->min_table_length && !(r->flags & REC_BIG)) {
                    r->flags |= REC_BIG;
                    c->big_count++;
                    *referrer_tag_ptr = TAG_BIG;
                    if (tag == 0) {
                        *tag_ptr = TAG_RECORD | (jlong) index;
                    }
                }
            }
        }
        return JVMTI_VISIT_OBJECTS;
    }

    /* The second walk: the holders of the arrays and entries that hold maps. */
    if (kind == JVMTI_HEAP_REFERENCE_FIELD && TAG_TYPE(referrer_tag) == TAG_RECORD && referrer != NULL
            && (referrer->flags & C_MAP) && info->field.index == referrer->table_field && tag == 0) {
        uint32_t index = TAG_INDEX(referrer_tag);
        if (index < c->record_count && c->records[index].kind == R_MAP) {
            *tag_ptr = TAG_RECORD | (jlong) index; /* a small map's table names its map */
        }
        return JVMTI_VISIT_OBJECTS;
    }
    if (TAG_TYPE(tag) == TAG_RECORD && TAG_INDEX(tag) < c->record_count) {
        uint32_t index = TAG_INDEX(tag);
        uint8_t record_kind = c->records[index].kind;
        if (record_kind == R_ARRAY || record_kind == R_ENTRY) {
            reference ref;
            describe(c, kind, info, referrer_class_tag, referrer_tag_ptr, 0, &ref);
            if (ref.rank > c->records[index].rank || c->records[index].holder == H_NONE) {
                apply(c, index, &ref, kind, info, referrer_class_tag, referrer_tag_ptr);
            }
        }
    }
    return JVMTI_VISIT_OBJECTS;
}

/* ---- the steps of a census ---- */

/* The number of arrays and entries, on the chains of big maps, whose own holder is not known. */
static uint32_t unresolved_intermediates(const census *c) {
    uint32_t count = 0;
    for (uint32_t i = 1; i < c->record_count; i++) {
        if (c->records[i].kind != R_MAP || !(c->records[i].flags & REC_BIG)) {
            continue;
        }
        uint32_t p = c->records[i].parent;
        for (int depth = 0; p != 0 && p < c->record_count && depth < MAX_CHAIN; depth++) {
            const record *r = &c->records[p];
            if ((r->kind == R_ARRAY || r->kind == R_ENTRY) && r->holder == H_NONE) {
                count++;
                break;
            }
            p = r->parent;
        }
    }
    return count;
}

static jvmtiError walk(census *c, int pass, int64_t *nanos) {
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.heap_reference_callback = follow;
    c->pass = pass;
    int64_t start = census_now_nanos();
    jvmtiError error = (*c->jvmti)->FollowReferences(c->jvmti, 0, NULL, NULL, &callbacks, c);
    *nanos = census_now_nanos() - start;
    return error;
}

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

/* The record a found map's table carries, or 0 when the table changed since the walk. */
static uint32_t record_of_found(census *c, jobject map, const class_info *info) {
    if (info == NULL || info->table_id == NULL) {
        return 0;
    }
    jobject table = (*c->jni)->GetObjectField(c->jni, map, info->table_id);
    if (table == NULL) {
        return 0;
    }
    jlong tag = 0;
    uint32_t index = 0;
    if ((*c->jvmti)->GetTag(c->jvmti, table, &tag) == JVMTI_ERROR_NONE && TAG_TYPE(tag) == TAG_RECORD
            && TAG_INDEX(tag) < c->record_count && c->records[TAG_INDEX(tag)].kind == R_MAP
            && (c->records[TAG_INDEX(tag)].flags & REC_BIG)) {
        index = TAG_INDEX(tag);
    }
    (*c->jni)->DeleteLocalRef(c->jni, table);
    return index;
}

/* Hands every big map to the sink, with the records of the references that hold it. */
static jvmtiError report_found(census *c, jobject sink, jmethodID found, jmethodID hop) {
    jlong big = TAG_BIG;
    jint count = 0;
    jobject *objects = NULL;
    if ((*c->jni)->EnsureLocalCapacity(c->jni, (jint) c->big_count + 64) != JNI_OK) {
        (*c->jni)->ExceptionClear(c->jni);
    }
    jvmtiError error = (*c->jvmti)->GetObjectsWithTags(c->jvmti, 1, &big, &count, &objects, NULL);
    if (error != JVMTI_ERROR_NONE) {
        return error;
    }
    jint i = 0;
    for (; i < count; i++) {
        jobject map = objects[i];
        jclass klass = (*c->jni)->GetObjectClass(c->jni, map);
        jlong class_tag = 0;
        (*c->jvmti)->GetTag(c->jvmti, klass, &class_tag);
        (*c->jni)->DeleteLocalRef(c->jni, klass);
        const class_info *info = census_class_of(c, class_tag);
        uint32_t index = record_of_found(c, map, info);
        if (index != 0 && !census_emit(c, sink, hop, index)) {
            break;
        }
        (*c->jni)->CallVoidMethod(c->jni, sink, found, map, info != NULL ? (jint) info->kind : -1, (jint) index);
        (*c->jni)->DeleteLocalRef(c->jni, map);
        if ((*c->jni)->ExceptionCheck(c->jni)) {
            i++;
            break;
        }
    }
    for (; i < count; i++) {
        (*c->jni)->DeleteLocalRef(c->jni, objects[i]);
    }
    census_free(c->jvmti, objects);
    return JVMTI_ERROR_NONE;
}

static void report_stats(census *c, jobject sink, jmethodID stats, const int64_t *pass_nanos, int passes,
                         int64_t started, uint32_t pending) {
    jlong values[10 + MAX_KINDS];
    memset(values, 0, sizeof values);
    values[0] = pass_nanos[0];
    values[1] = pass_nanos[1];
    values[2] = passes;
    values[3] = (jlong) c->record_count - 1;
    values[4] = c->stopped;
    values[5] = c->big_count;
    values[6] = c->loaded_count;
    values[7] = census_now_nanos() - started;
    values[8] = pending;
    values[9] = c->kind_count;
    for (int k = 0; k < c->kind_count; k++) {
        values[10 + k] = c->maps_by_kind[k];
    }
    jlongArray array = (*c->jni)->NewLongArray(c->jni, 10 + c->kind_count);
    if (array == NULL) {
        return;
    }
    (*c->jni)->SetLongArrayRegion(c->jni, array, 0, 10 + c->kind_count, values);
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
                        jintArray min_lengths, jobjectArray wrappers, jobjectArray wrapped_fields,
                        jobjectArray own, jlong budget_nanos, jint max_records, jobject sink) {
    (void) native_heap;
    int64_t started = census_now_nanos();
    int64_t pass_nanos[2] = {0, 0};
    int passes = 0;
    uint32_t pending = 0;
    census c;
    memset(&c, 0, sizeof c);
    c.jni = jni;
    JavaVM *vm = NULL;
    if ((*jni)->GetJavaVM(jni, &vm) != JNI_OK
            || (*vm)->GetEnv(vm, (void **) &c.jvmti, JVMTI_VERSION_1_2) != JNI_OK || c.jvmti == NULL) {
        census_throw_message(jni, "census: this JVM offers no JVMTI environment");
        return;
    }
    if ((*jni)->PushLocalFrame(jni, 64) != JNI_OK) {
        (*c.jvmti)->DisposeEnvironment(c.jvmti);
        return; /* OutOfMemoryError is pending */
    }
    jclass sink_class = (*jni)->GetObjectClass(jni, sink);
    jmethodID found = (*jni)->GetMethodID(jni, sink_class, "found", "(Ljava/lang/Object;II)V");
    jmethodID hop = found == NULL ? NULL : (*jni)->GetMethodID(jni, sink_class, "hop",
            "(IIIILjava/lang/String;ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;"
            "Ljava/lang/String;Ljava/lang/String;)V");
    jmethodID stats = hop == NULL ? NULL : (*jni)->GetMethodID(jni, sink_class, "stats", "([J)V");
    const char *step = "adding the tagging capability";
    jvmtiError error = JVMTI_ERROR_NONE;
    if (stats == NULL) {
        goto done; /* NoSuchMethodError is pending */
    }
    error = add_capabilities(c.jvmti);
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
        error = census_load_classes(&c, kinds, table_fields, min_lengths, wrappers, wrapped_fields);
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
    step = "following references from the roots";
    c.deadline_nanos = started + budget_nanos;
    error = walk(&c, 1, &pass_nanos[0]);
    passes = 1;
    if (error == JVMTI_ERROR_NONE && !c.stopped) {
        pending = unresolved_intermediates(&c);
        /* A second walk costs about what the first did: only when that fits in the budget. */
        if (pending > 0 && census_now_nanos() + pass_nanos[0] <= c.deadline_nanos) {
            step = "following references for the holders of arrays and entries";
            error = walk(&c, 2, &pass_nanos[1]);
            passes = 2;
            pending = unresolved_intermediates(&c);
        } else if (pending > 0) {
            c.stopped |= STOP_NO_SECOND;
        }
    }
    if (error == JVMTI_ERROR_NONE) {
        step = "fetching the maps found";
        error = report_found(&c, sink, found, hop);
    }
    if (error == JVMTI_ERROR_NONE && !(*jni)->ExceptionCheck(jni)) {
        report_stats(&c, sink, stats, pass_nanos, passes, started, pending);
    }

done:
    if (error != JVMTI_ERROR_NONE) {
        char what[160];
        snprintf(what, sizeof what, "census: %s failed", step);
        census_throw(jni, c.jvmti, what, error);
    }
    census_free(c.jvmti, c.records);
    census_free(c.jvmti, c.frames);
    census_free(c.jvmti, c.classes);
    census_free(c.jvmti, c.loaded);
    census_free(c.jvmti, c.threads);
    (*jni)->PopLocalFrame(jni, NULL);
    /* Drops every tag this census set, and its capabilities. */
    (*c.jvmti)->DisposeEnvironment(c.jvmti);
}
