/*
 * The library's entry points as a JVMTI agent: at start-up (-agentpath:libmapretention.so) or
 * into a running JVM (the attach API's loadAgentPath, which the census command uses). Either way
 * it binds the natives of dev.mapretention.agent.census.NativeHeap with RegisterNatives (no
 * System.load, so no restricted-method warning on JDK 24 and later) and says so in
 * NativeHeap.boundAbi. It keeps no state of its own: each census makes its own JVMTI environment.
 *
 * Loading it twice (two copies, from two temporary files) is fine: the later copy binds the
 * natives to itself, and the copies share nothing.
 */
#include "census.h"

#include <stdio.h>
#include <string.h>

/* Agent_OnAttach's answers; the census command turns each into one line. */
enum {
    ATTACH_OK = 0,
    ATTACH_NO_JVMTI = 101,      /* no JVMTI or JNI environment */
    ATTACH_NO_TAGGING = 102,    /* this JVM cannot tag objects */
    ATTACH_NO_AGENT = 103,      /* the map-retention agent's classes are not on the class path */
    ATTACH_NOT_BOUND = 104      /* RegisterNatives failed */
};

static JNINativeMethod methods[] = {
    {"census",
     "([Ljava/lang/Class;[Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/String;[I"
     "[Ljava/lang/Class;[Ljava/lang/String;[Ljava/lang/Object;JI"
     "Ldev/mapretention/agent/census/CensusSink;)V",
     (void *) census_run},
};

static int bind_class(JNIEnv *jni, jclass heap) {
    int result = ATTACH_OK;
    if ((*jni)->RegisterNatives(jni, heap, methods, (jint) (sizeof methods / sizeof methods[0])) != JNI_OK) {
        (*jni)->ExceptionClear(jni);
        result = ATTACH_NOT_BOUND;
    } else {
        jfieldID abi = (*jni)->GetStaticFieldID(jni, heap, "boundAbi", "I");
        if (abi == NULL) {
            (*jni)->ExceptionClear(jni);
            result = ATTACH_NOT_BOUND;
        } else {
            (*jni)->SetStaticIntField(jni, heap, abi, CENSUS_ABI);
        }
    }
    return result;
}

static int bind_natives(JNIEnv *jni) {
    jclass heap = (*jni)->FindClass(jni, NATIVE_HEAP_CLASS);
    if (heap == NULL) {
        (*jni)->ExceptionClear(jni);
        return ATTACH_NO_AGENT;
    }
    int result = bind_class(jni, heap);
    (*jni)->DeleteLocalRef(jni, heap);
    return result;
}

/* True when JVMTI can tag objects here (an always-available capability on HotSpot). */
static int can_tag(JavaVM *vm) {
    jvmtiEnv *jvmti = NULL;
    if ((*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_1_2) != JNI_OK || jvmti == NULL) {
        return -1;
    }
    jvmtiCapabilities potential;
    memset(&potential, 0, sizeof potential);
    int result = (*jvmti)->GetPotentialCapabilities(jvmti, &potential) == JVMTI_ERROR_NONE
            && potential.can_tag_objects;
    (*jvmti)->DisposeEnvironment(jvmti);
    return result;
}

/*
 * At start-up the agent jar's classes are not loadable yet (the Java agent's jar joins the class
 * path later): the natives are bound when NativeHeap itself is prepared, which the Java agent
 * makes happen as it starts. Until then each class prepared costs one signature compare.
 */
static void JNICALL on_class_prepare(jvmtiEnv *jvmti, JNIEnv *jni, jthread thread, jclass klass) {
    (void) thread;
    char *signature = NULL;
    if ((*jvmti)->GetClassSignature(jvmti, klass, &signature, NULL) != JVMTI_ERROR_NONE || signature == NULL) {
        return;
    }
    int ours = strcmp(signature, "L" NATIVE_HEAP_CLASS ";") == 0;
    (*jvmti)->Deallocate(jvmti, (unsigned char *) signature);
    if (!ours) {
        return;
    }
    if (bind_class(jni, klass) != ATTACH_OK) {
        census_log("the census library could not bind its natives: the census is not available in this JVM");
    }
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_DISABLE, JVMTI_EVENT_CLASS_PREPARE, NULL);
}

/* -agentpath: at start-up. Never fails the JVM: a problem is one line, and the JVM runs on. */
JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    (void) options;
    (void) reserved;
    if (can_tag(vm) != 1) {
        census_log("the census library needs JVMTI object tagging, which this JVM does not offer:"
                   " the census is not available in this JVM");
        return JNI_OK;
    }
    jvmtiEnv *jvmti = NULL;
    if ((*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_1_2) != JNI_OK || jvmti == NULL) {
        census_log("the census library found no JVMTI environment: the census is not available in this JVM");
        return JNI_OK;
    }
    jvmtiEventCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.ClassPrepare = on_class_prepare;
    jvmtiError error = (*jvmti)->SetEventCallbacks(jvmti, &callbacks, (jint) sizeof callbacks);
    if (error == JVMTI_ERROR_NONE) {
        error = (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_CLASS_PREPARE, NULL);
    }
    if (error != JVMTI_ERROR_NONE) {
        char name[96];
        char message[200];
        snprintf(message, sizeof message, "the census library could not watch for the agent's classes (%s):"
                 " the census is not available in this JVM", census_error_name(jvmti, error, name, sizeof name));
        census_log(message);
        (*jvmti)->DisposeEnvironment(jvmti);
    }
    return JNI_OK;
}

/* loadAgentPath into a running JVM: the answer says what is missing, and nothing is printed there. */
JNIEXPORT jint JNICALL Agent_OnAttach(JavaVM *vm, char *options, void *reserved) {
    (void) options;
    (void) reserved;
    JNIEnv *jni = NULL;
    if ((*vm)->GetEnv(vm, (void **) &jni, JNI_VERSION_1_8) != JNI_OK || jni == NULL) {
        return ATTACH_NO_JVMTI;
    }
    int tagging = can_tag(vm);
    if (tagging < 0) {
        return ATTACH_NO_JVMTI;
    }
    if (tagging == 0) {
        return ATTACH_NO_TAGGING;
    }
    return bind_natives(jni);
}
