/*
 * Naming what the walks recorded: each record on a found map's chain goes to the Java side once,
 * as one hop (what the object is, and the reference that holds it, in words: class and field
 * names, a thread's name, a frame as Class.method(File.java:31)). The Java side puts the hops
 * together into the holder a report shows.
 */
#include "census.h"

#include <stdio.h>
#include <string.h>

#define MAX_CHAIN 16

static jstring new_string(JNIEnv *jni, const char *text) {
    return text != NULL ? (*jni)->NewStringUTF(jni, text) : NULL;
}

static void delete_ref(JNIEnv *jni, jobject ref) {
    if (ref != NULL) {
        (*jni)->DeleteLocalRef(jni, ref);
    }
}

static char *class_name_at(census *c, uint32_t index) {
    return index != 0 && index < (uint32_t) c->class_count ? census_class_name(c->jvmti, c->classes[index].klass)
                                                           : NULL;
}

/* The line of a bytecode location: the entry with the largest start not after it; -1 when not known. */
static jint line_of(census *c, jmethodID method, jlocation location) {
    if (location < 0) {
        return -1;
    }
    jint count = 0;
    jvmtiLineNumberEntry *table = NULL;
    if ((*c->jvmti)->GetLineNumberTable(c->jvmti, method, &count, &table) != JVMTI_ERROR_NONE) {
        return -1;
    }
    jint line = -1;
    jlocation best = -1;
    for (jint i = 0; i < count; i++) {
        if (table[i].start_location <= location && table[i].start_location >= best) {
            best = table[i].start_location;
            line = table[i].line_number;
        }
    }
    census_free(c->jvmti, table);
    return line;
}

/* As StackTraceElement.toString() writes a frame, without module or loader: Class.method(File.java:31). */
static void format_frame(census *c, const frame_ref *frame, char *out, size_t size) {
    jclass declaring = NULL;
    char *class_name = NULL;
    char *method_name = NULL;
    char *file = NULL;
    jboolean is_native = JNI_FALSE;
    if ((*c->jvmti)->GetMethodDeclaringClass(c->jvmti, frame->method, &declaring) == JVMTI_ERROR_NONE) {
        class_name = census_class_name(c->jvmti, declaring);
        if ((*c->jvmti)->GetSourceFileName(c->jvmti, declaring, &file) != JVMTI_ERROR_NONE) {
            file = NULL;
        }
    }
    if ((*c->jvmti)->GetMethodName(c->jvmti, frame->method, &method_name, NULL, NULL) != JVMTI_ERROR_NONE) {
        method_name = NULL;
    }
    (*c->jvmti)->IsMethodNative(c->jvmti, frame->method, &is_native);
    jint line = line_of(c, frame->method, frame->location);
    char location[300];
    if (is_native) {
        snprintf(location, sizeof location, "Native Method");
    } else if (file == NULL) {
        snprintf(location, sizeof location, "Unknown Source");
    } else if (line >= 0) {
        snprintf(location, sizeof location, "%s:%d", file, (int) line);
    } else {
        snprintf(location, sizeof location, "%s", file);
    }
    snprintf(out, size, "%s.%s(%s)", class_name != NULL ? class_name : "<unknown class>",
             method_name != NULL ? method_name : "<unknown method>", location);
    census_free(c->jvmti, class_name);
    census_free(c->jvmti, method_name);
    census_free(c->jvmti, file);
    delete_ref(c->jni, declaring);
}

static void thread_name(census *c, const frame_ref *frame, char *out, size_t size) {
    jvmtiThreadInfo info;
    memset(&info, 0, sizeof info);
    if (frame->thread >= 0 && frame->thread < c->thread_count
            && (*c->jvmti)->GetThreadInfo(c->jvmti, c->threads[frame->thread], &info) == JVMTI_ERROR_NONE
            && info.name != NULL) {
        snprintf(out, size, "%s", info.name);
    } else {
        snprintf(out, size, "thread #%lld", (long long) frame->thread_id);
    }
    census_free(c->jvmti, info.name);
    delete_ref(c->jni, info.thread_group);
    delete_ref(c->jni, info.context_class_loader);
}

static const char *root_name(int32_t kind) {
    switch (kind) {
        case JVMTI_HEAP_REFERENCE_MONITOR: return "monitor";
        case JVMTI_HEAP_REFERENCE_SYSTEM_CLASS: return "system class";
        case JVMTI_HEAP_REFERENCE_THREAD: return "thread";
        default: return "other root";
    }
}

/* The index, in the Java side's lists, of the kind (a map) or wrapper (a wrapper) of a record; -1. */
static jint definition_of(const census *c, const record *r) {
    if (r->klass == 0 || r->klass >= (uint32_t) c->class_count) {
        return -1;
    }
    const class_info *info = &c->classes[r->klass];
    if (r->kind == R_MAP) {
        return info->kind;
    }
    return r->kind == R_WRAPPER ? info->wrapper : -1;
}

/* One hop to the sink; 0 when the Java side threw. */
static int emit_one(census *c, jobject sink, jmethodID hop, uint32_t index) {
    record *r = &c->records[index];
    char *object_class = class_name_at(c, r->klass);
    char *holder_class = NULL;
    char *referrer_class = NULL;
    char *member = NULL;
    int member_allocated = 0;
    char thread[256];
    char frame[1024];
    int has_frame = 0;
    switch (r->holder) {
        case H_FIELD:
        case H_STATIC:
            if (census_field_name(c, r->holder_class, r->detail, &holder_class, &member) == JVMTI_ERROR_NONE) {
                member_allocated = 1;
            }
            referrer_class = class_name_at(c, r->holder_class);
            break;
        case H_ARRAY:
        case H_TABLE:
            referrer_class = class_name_at(c, r->holder_class);
            break;
        case H_LOCAL:
        case H_JNI_LOCAL:
            if (r->detail >= 0 && (uint32_t) r->detail < c->frame_count) {
                const frame_ref *f = &c->frames[r->detail];
                format_frame(c, f, frame, sizeof frame);
                thread_name(c, f, thread, sizeof thread);
                has_frame = 1;
            }
            break;
        case H_OTHER:
            member = (char *) root_name(r->detail);
            break;
        default:
            break;
    }
    JNIEnv *jni = c->jni;
    jstring j_object = new_string(jni, object_class);
    jstring j_holder = new_string(jni, holder_class);
    jstring j_referrer = new_string(jni, referrer_class);
    jstring j_member = new_string(jni, member);
    jstring j_thread = has_frame ? new_string(jni, thread) : NULL;
    jstring j_frame = has_frame ? new_string(jni, frame) : NULL;
    if (!(*jni)->ExceptionCheck(jni)) {
        (*jni)->CallVoidMethod(jni, sink, hop, (jint) index, (jint) r->parent, (jint) r->kind, definition_of(c, r),
                               j_object, (jint) r->holder, j_holder, j_referrer, j_member, j_thread, j_frame);
    }
    delete_ref(jni, j_object);
    delete_ref(jni, j_holder);
    delete_ref(jni, j_referrer);
    delete_ref(jni, j_member);
    delete_ref(jni, j_thread);
    delete_ref(jni, j_frame);
    census_free(c->jvmti, object_class);
    census_free(c->jvmti, holder_class);
    census_free(c->jvmti, referrer_class);
    if (member_allocated) {
        census_free(c->jvmti, member);
    }
    r = &c->records[index];
    r->flags |= REC_EMITTED;
    return !(*jni)->ExceptionCheck(jni);
}

int census_emit(census *c, jobject sink, jmethodID hop, uint32_t record_index) {
    uint32_t index = record_index;
    for (int depth = 0; index != 0 && index < c->record_count && depth < MAX_CHAIN; depth++) {
        if (c->records[index].flags & REC_EMITTED) {
            return 1; /* it and the rest of its chain are known on the Java side */
        }
        if (!emit_one(c, sink, hop, index)) {
            return 0;
        }
        index = c->records[index].parent;
    }
    return 1;
}
