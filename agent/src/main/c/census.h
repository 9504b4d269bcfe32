/*
 * The heap census of map-retention: a JVMTI agent whose one action finds every live map of the
 * kinds the Java agent names, with the reference that holds each. Shared declarations.
 *
 * The Java side is dev.mapretention.agent.census.NativeHeap; its natives are bound with JNI
 * RegisterNatives when this library is loaded as a JVMTI agent (-agentpath or the attach API),
 * never by System.load.
 */
#ifndef MAPRETENTION_CENSUS_H
#define MAPRETENTION_CENSUS_H

#include <jni.h>
#include <jvmti.h>
#include <stdint.h>

/* The version of the contract between this library and NativeHeap; both sides check it. */
#define CENSUS_ABI 2

#define NATIVE_HEAP_CLASS "dev/mapretention/agent/census/NativeHeap"

/*
 * Tags: the top byte says what a tag marks, the rest is an index. Every tag lives in the
 * census's own JVMTI environment, which is disposed of when the census ends: that drops every
 * tag it set, whatever happened.
 */
#define TAG_SHIFT 56
#define TAG_CLASS ((jlong) 1 << TAG_SHIFT)  /* a loaded class: index into the class table */
#define TAG_THREAD ((jlong) 2 << TAG_SHIFT) /* a thread: index into the thread table */
#define TAG_RECORD ((jlong) 3 << TAG_SHIFT) /* a map, wrapper, array or entry: a record index */
#define TAG_OWN ((jlong) 5 << TAG_SHIFT)    /* the agent's own objects: never followed */
#define TAG_TABLE ((jlong) 6 << TAG_SHIFT)  /* the table of a map: the map's record index */
#define TAG_CANDIDATE ((jlong) 7 << TAG_SHIFT) /* an instance of a kind, found by a scan: the kind */
#define TAG_TYPE(tag) ((jlong) (tag) & ((jlong) 0xFF << TAG_SHIFT))
#define TAG_INDEX(tag) ((uint32_t) ((tag) & 0xFFFFFFFF))

/* What a loaded class is, for the reference callback. */
enum {
    C_MAP = 1,        /* an instance is a map of one of the kinds looked for */
    C_WRAPPER = 2,    /* an instance holds a map for the application (HashSet.map, ...) */
    C_ENTRY = 4,      /* implements java.util.Map$Entry */
    C_ARRAY = 8,      /* an array class */
    C_INTERFACE = 16, /* an interface */
    C_WEAK = 32       /* a Reference whose referent is not a strong reference (not a SoftReference) */
};

typedef struct {
    jclass klass;            /* a local reference, valid for the census */
    uint16_t flags;
    int16_t kind;            /* C_MAP: the index of its kind */
    int16_t wrapper;         /* C_WRAPPER: the index of its wrapper definition */
    int32_t table_field;     /* C_MAP: the JVMTI field index of the table; -1 */
    int32_t wrapped_field;   /* C_WRAPPER: the JVMTI field index of the wrapped map; -1 */
    int32_t referent_field;  /* C_WEAK: the JVMTI field index of Reference.referent; -1 */
    int32_t min_table_length;/* C_MAP: a table at least this long makes the map worth reporting */
    int32_t threshold_field; /* C_MAP: the JVMTI field index of the kind's threshold (int); -1 */
    int32_t load_factor_field; /* C_MAP: the JVMTI field index of the kind's load factor (float); -1 */
    int32_t min_threshold;   /* C_MAP: a threshold below this (and a load factor of 0.5 or more): a short table */
    int32_t declared_fields; /* GetClassFields' count, cached; -1 until asked */
    jfieldID table_id;       /* C_MAP: the table field, to read it from a found map */
} class_info;

/* What a record stands for. */
enum { R_MAP = 1, R_WRAPPER = 2, R_ARRAY = 3, R_ENTRY = 4 };

/* How the object of a record is held: the best reference to it seen so far. */
enum {
    H_NONE = 0,      /* not known (an array or entry whose holder was not traced) */
    H_FIELD = 1,     /* an instance field of an object */
    H_STATIC = 2,    /* a static field of a class or interface */
    H_ARRAY = 3,     /* an element of an array */
    H_TABLE = 4,     /* an element of the table of the map in parent */
    H_LOCAL = 5,     /* a local variable of a thread */
    H_JNI_GLOBAL = 6,
    H_JNI_LOCAL = 7, /* a JNI local reference, or an object compiled into running code */
    H_OTHER = 8      /* another root: monitor, system class, ... */
};

typedef struct {
    jweak weak;            /* R_MAP whose table is big: the map, weakly, between the walks; NULL */
    uint32_t parent;       /* the record of the referrer, when it has one; 0 */
    uint32_t klass;        /* class index of the object itself; 0 when unknown */
    uint32_t holder_class; /* class index: the referrer's class (field, array), the class (static) */
    int32_t detail;        /* field index (field, static), frame index (local, jni local), root kind */
    int32_t table_length;  /* R_MAP: the length of its table once seen; -1 */
    uint8_t kind;          /* R_* */
    uint8_t holder;        /* H_* */
    uint8_t rank;          /* how telling the holder is: a better one replaces it */
    uint8_t flags;         /* REC_* */
} record;

enum {
    REC_BIG = 1,      /* a map whose table reached the minimum length: a found map */
    REC_EMITTED = 2,  /* handed to the Java side */
    REC_PENDING = 4,  /* its holder is to be traced in the next round */
    REC_TRACED = 8,   /* a walk that reports every reference to it has run */
    REC_SHALLOW = 16  /* a found map the Java side needs only the direct holder of (not sparse) */
};

typedef struct {
    jmethodID method;
    jlocation location;    /* -1 for JNI locals */
    jlong thread_id;
    int32_t thread;        /* thread table index, -1 when the thread was not tagged */
    int32_t depth;
} frame_ref;

/* Why a census stopped early, or left something out. */
enum {
    STOP_NONE = 0,
    STOP_TIME = 1,       /* a walk ran out of time and stopped */
    STOP_RECORDS = 2,    /* the records ran out: maps beyond them are not in the census */
    STOP_MEMORY = 4,     /* Allocate failed */
    STOP_HOLDERS = 8     /* the walks that trace holders further did not fit in the time left */
};

#define MAX_KINDS 32
#define MAX_WALKS 32 /* the scan, then at most 3 walks per round for 8 rounds */
/* A walk that reports only references to one class costs about the heap traversal; one that
 * reports every reference, several times that. More classes than this: one walk for all. */
#define MAX_FILTERED_WALKS 3

typedef struct {
    jvmtiEnv *jvmti;
    JNIEnv *jni;

    class_info *classes;     /* index 0 unused */
    jint class_count;        /* entries, including the unused 0 */
    jclass *loaded;          /* GetLoadedClasses' array, deallocated at the end */
    jint loaded_count;
    jthread *threads;
    jint thread_count;

    record *records;         /* index 0 unused */
    uint32_t record_count;
    uint32_t record_capacity;
    uint32_t record_limit;
    frame_ref *frames;
    uint32_t frame_count;
    uint32_t frame_capacity;

    uint64_t calls;
    int64_t deadline_nanos;
    int stopped;             /* STOP_* bits */
    int kind_count;
    jlong maps_by_kind[MAX_KINDS];
    uint32_t big_count;
    int walks;
    int64_t walk_nanos[MAX_WALKS];
} census;

/* util.c */
int64_t census_now_nanos(void);
const char *census_error_name(jvmtiEnv *jvmti, jvmtiError error, char *buffer, size_t size);
void census_throw_message(JNIEnv *jni, const char *message);
void census_free(jvmtiEnv *jvmti, void *memory);
char *census_class_name(jvmtiEnv *jvmti, jclass klass);
void census_log(const char *message);

/* classes.c */
jvmtiError census_load_classes(census *c, jobjectArray kinds, jobjectArray table_fields, jobjectArray threshold_fields,
                               jobjectArray load_factor_fields, jintArray min_lengths, jobjectArray wrappers,
                               jobjectArray wrapped_fields);
jvmtiError census_tag_classes(census *c, int maps);
const class_info *census_class_of(const census *c, jlong class_tag);
uint32_t census_class_index(const census *c, jlong class_tag);
jvmtiError census_field_name(census *c, uint32_t class_index, jint field_index, char **declaring_class,
                             char **field_name);
jvmtiError census_declared_fields(census *c, jclass klass, jint *count);

/* holders.c */
int census_emit(census *c, jobject sink, jmethodID hop, uint32_t record_index);

/* census.c */
void JNICALL census_run(JNIEnv *jni, jclass native_heap, jobjectArray kinds, jobjectArray table_fields,
                        jobjectArray threshold_fields, jobjectArray load_factor_fields, jintArray min_lengths,
                        jobjectArray wrappers, jobjectArray wrapped_fields, jobjectArray own, jlong budget_nanos,
                        jint max_records, jobject sink);

#endif
