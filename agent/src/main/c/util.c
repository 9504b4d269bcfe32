/* Small helpers: clock, named errors, exceptions for the Java side, names, memory. */
#include "census.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t census_now_nanos(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000000 + now.tv_nsec;
}

/* The JVMTI name of an error (JVMTI_ERROR_...), or its number when the JVM cannot say. */
const char *census_error_name(jvmtiEnv *jvmti, jvmtiError error, char *buffer, size_t size) {
    char *name = NULL;
    if (jvmti != NULL && (*jvmti)->GetErrorName(jvmti, error, &name) == JVMTI_ERROR_NONE && name != NULL) {
        snprintf(buffer, size, "%s", name);
        (*jvmti)->Deallocate(jvmti, (unsigned char *) name);
    } else {
        snprintf(buffer, size, "JVMTI error %d", (int) error);
    }
    return buffer;
}

void census_throw_message(JNIEnv *jni, const char *message) {
    if ((*jni)->ExceptionCheck(jni)) {
        return; /* the first failure is the one to tell */
    }
    jclass type = (*jni)->FindClass(jni, "java/lang/IllegalStateException");
    if (type != NULL) {
        (*jni)->ThrowNew(jni, type, message);
        (*jni)->DeleteLocalRef(jni, type);
    }
}

void census_free(jvmtiEnv *jvmti, void *memory) {
    if (memory != NULL) {
        (*jvmti)->Deallocate(jvmti, (unsigned char *) memory);
    }
}

/*
 * The class's name as Class.getName() writes it ("java.util.HashMap", "[Ljava.lang.Object;"),
 * in memory from Allocate (the caller deallocates it), or NULL.
 */
char *census_class_name(jvmtiEnv *jvmti, jclass klass) {
    char *signature = NULL;
    if (klass == NULL || (*jvmti)->GetClassSignature(jvmti, klass, &signature, NULL) != JVMTI_ERROR_NONE
            || signature == NULL) {
        return NULL;
    }
    size_t length = strlen(signature);
    /* "Lcom/example/Foo;" loses its L and ;, arrays keep their descriptor form with dots. */
    int plain = length >= 2 && signature[0] == 'L' && signature[length - 1] == ';';
    const char *from = plain ? signature + 1 : signature;
    size_t count = plain ? length - 2 : length;
    unsigned char *name = NULL;
    if ((*jvmti)->Allocate(jvmti, (jlong) count + 1, &name) != JVMTI_ERROR_NONE) {
        census_free(jvmti, signature);
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        name[i] = from[i] == '/' ? '.' : (unsigned char) from[i];
    }
    name[count] = '\0';
    census_free(jvmti, signature);
    return (char *) name;
}

/* One line on the JVM's standard error, as the Java agent writes its own. */
void census_log(const char *message) {
    fprintf(stderr, "[map-retention] %s\n", message);
    fflush(stderr);
}
