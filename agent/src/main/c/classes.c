/*
 * The class table: every loaded class tagged with its index, what the reference callback needs
 * to know of it, and JVMTI field indices in both directions.
 *
 * A JVMTI field index counts more than the class's own fields. For an object of class C (and a
 * static field of C): first the fields of every interface C implements, directly or through its
 * superclasses and superinterfaces (only their number matters), then the fields of
 * java.lang.Object, of each superclass down to C, and of C, each class's in the order
 * GetClassFields returns them. For a static field of an interface I: the fields of I's
 * superinterfaces, then I's own. All fields count, static or not.
 */
#include "census.h"

#include <string.h>

/* A set of distinct interfaces (local references), for counting their fields once each. */
typedef struct {
    jclass *items;
    jint count;
    jint capacity;
} class_set;

static void set_release(census *c, class_set *set) {
    for (jint i = 0; i < set->count; i++) {
        (*c->jni)->DeleteLocalRef(c->jni, set->items[i]);
    }
    census_free(c->jvmti, set->items);
    set->items = NULL;
    set->count = set->capacity = 0;
}

/* Adds klass (taking over the local reference) unless it is there; 1 when added. */
static jvmtiError set_add(census *c, class_set *set, jclass klass, int *added) {
    *added = 0;
    for (jint i = 0; i < set->count; i++) {
        if ((*c->jni)->IsSameObject(c->jni, set->items[i], klass)) {
            (*c->jni)->DeleteLocalRef(c->jni, klass);
            return JVMTI_ERROR_NONE;
        }
    }
    if (set->count == set->capacity) {
        jint capacity = set->capacity == 0 ? 16 : set->capacity * 2;
        unsigned char *grown = NULL;
        jvmtiError error = (*c->jvmti)->Allocate(c->jvmti, (jlong) capacity * (jlong) sizeof(jclass), &grown);
        if (error != JVMTI_ERROR_NONE) {
            (*c->jni)->DeleteLocalRef(c->jni, klass);
            return error;
        }
        if (set->count > 0) {
            memcpy(grown, set->items, (size_t) set->count * sizeof(jclass));
        }
        census_free(c->jvmti, set->items);
        set->items = (jclass *) grown;
        set->capacity = capacity;
    }
    set->items[set->count++] = klass;
    *added = 1;
    return JVMTI_ERROR_NONE;
}

/* Adds the direct interfaces of klass and, through them, all their superinterfaces. */
static jvmtiError add_interfaces_of(census *c, class_set *set, jclass klass) {
    jint count = 0;
    jclass *interfaces = NULL;
    jvmtiError error = (*c->jvmti)->GetImplementedInterfaces(c->jvmti, klass, &count, &interfaces);
    if (error != JVMTI_ERROR_NONE) {
        return error;
    }
    jint i = 0;
    for (; i < count && error == JVMTI_ERROR_NONE; i++) {
        int added = 0;
        jclass interface = interfaces[i];
        error = set_add(c, set, interface, &added);
        if (error == JVMTI_ERROR_NONE && added) {
            error = add_interfaces_of(c, set, interface);
        }
    }
    for (; i < count; i++) {
        (*c->jni)->DeleteLocalRef(c->jni, interfaces[i]);
    }
    census_free(c->jvmti, interfaces);
    return error;
}

jvmtiError census_declared_fields(census *c, jclass klass, jint *count) {
    jlong tag = 0;
    class_info *info = NULL;
    if ((*c->jvmti)->GetTag(c->jvmti, klass, &tag) == JVMTI_ERROR_NONE && TAG_TYPE(tag) == TAG_CLASS
            && TAG_INDEX(tag) < (uint32_t) c->class_count) {
        info = &c->classes[TAG_INDEX(tag)];
        if (info->declared_fields >= 0) {
            *count = info->declared_fields;
            return JVMTI_ERROR_NONE;
        }
    }
    jfieldID *fields = NULL;
    jvmtiError error = (*c->jvmti)->GetClassFields(c->jvmti, klass, count, &fields);
    census_free(c->jvmti, fields);
    if (error == JVMTI_ERROR_NONE && info != NULL) {
        info->declared_fields = *count;
    }
    return error;
}

/*
 * The number of fields JVMTI counts before the first field of java.lang.Object (for a class) or
 * of the interface itself (for an interface): those of all interfaces it implements or extends.
 */
static jvmtiError interface_fields_before(census *c, jclass klass, int is_interface, jint *count) {
    class_set set = {NULL, 0, 0};
    jvmtiError error = JVMTI_ERROR_NONE;
    if (is_interface) {
        error = add_interfaces_of(c, &set, klass);
    } else {
        jclass k = (*c->jni)->NewLocalRef(c->jni, klass);
        while (k != NULL && error == JVMTI_ERROR_NONE) {
            error = add_interfaces_of(c, &set, k);
            jclass super = (*c->jni)->GetSuperclass(c->jni, k);
            (*c->jni)->DeleteLocalRef(c->jni, k);
            k = super;
        }
        if (k != NULL) {
            (*c->jni)->DeleteLocalRef(c->jni, k);
        }
    }
    *count = 0;
    for (jint i = 0; i < set.count && error == JVMTI_ERROR_NONE; i++) {
        jint fields = 0;
        error = census_declared_fields(c, set.items[i], &fields);
        *count += fields;
    }
    set_release(c, &set);
    return error;
}

/* The superclass chain of klass, Object first (local references; the caller releases them). */
static jvmtiError superclass_chain(census *c, jclass klass, class_set *chain) {
    jclass k = (*c->jni)->NewLocalRef(c->jni, klass);
    jvmtiError error = JVMTI_ERROR_NONE;
    while (k != NULL && error == JVMTI_ERROR_NONE) {
        jclass super = (*c->jni)->GetSuperclass(c->jni, k);
        int added = 0;
        error = set_add(c, chain, k, &added);
        k = super;
    }
    if (k != NULL) {
        (*c->jni)->DeleteLocalRef(c->jni, k);
    }
    for (jint i = 0, j = chain->count - 1; i < j; i++, j--) {
        jclass swap = chain->items[i];
        chain->items[i] = chain->items[j];
        chain->items[j] = swap;
    }
    return error;
}

/* The position of the field named name among klass's own fields, and its ID; -1 when absent. */
static jvmtiError own_field(census *c, jclass klass, const char *name, jint *position, jfieldID *id) {
    jint count = 0;
    jfieldID *fields = NULL;
    *position = -1;
    jvmtiError error = (*c->jvmti)->GetClassFields(c->jvmti, klass, &count, &fields);
    for (jint i = 0; error == JVMTI_ERROR_NONE && i < count && *position < 0; i++) {
        char *field_name = NULL;
        error = (*c->jvmti)->GetFieldName(c->jvmti, klass, fields[i], &field_name, NULL, NULL);
        if (error == JVMTI_ERROR_NONE && strcmp(field_name, name) == 0) {
            *position = i;
            if (id != NULL) {
                *id = fields[i];
            }
        }
        census_free(c->jvmti, field_name);
    }
    census_free(c->jvmti, fields);
    return error;
}

/*
 * The JVMTI index, in objects of class klass, of the field called name that class declaring
 * declares (declaring is klass or one of its superclasses); -1 when there is no such field.
 */
static jvmtiError field_index_of(census *c, jclass klass, jclass declaring, const char *name, jint *index,
                                 jfieldID *id) {
    *index = -1;
    jint before = 0;
    jvmtiError error = interface_fields_before(c, klass, 0, &before);
    class_set chain = {NULL, 0, 0};
    if (error == JVMTI_ERROR_NONE) {
        error = superclass_chain(c, klass, &chain);
    }
    for (jint i = 0; error == JVMTI_ERROR_NONE && i < chain.count; i++) {
        if ((*c->jni)->IsSameObject(c->jni, chain.items[i], declaring)) {
            jint position = -1;
            error = own_field(c, declaring, name, &position, id);
            if (error == JVMTI_ERROR_NONE && position >= 0) {
                *index = before + position;
            }
            break;
        }
        jint fields = 0;
        error = census_declared_fields(c, chain.items[i], &fields);
        before += fields;
    }
    set_release(c, &chain);
    return error;
}

jvmtiError census_field_name(census *c, uint32_t class_index, jint field_index, char **declaring_class,
                             char **field_name) {
    *declaring_class = NULL;
    *field_name = NULL;
    if (class_index == 0 || class_index >= (uint32_t) c->class_count) {
        return JVMTI_ERROR_INVALID_CLASS;
    }
    jclass klass = c->classes[class_index].klass;
    int is_interface = (c->classes[class_index].flags & C_INTERFACE) != 0;
    jint before = 0;
    jvmtiError error = interface_fields_before(c, klass, is_interface, &before);
    if (error != JVMTI_ERROR_NONE) {
        return error;
    }
    jint position = field_index - before;
    if (position < 0) {
        return JVMTI_ERROR_INVALID_FIELDID;
    }
    /* An interface counts its own fields only; a class counts its superclasses' first. */
    class_set chain = {NULL, 0, 0};
    if (is_interface) {
        int added = 0;
        error = set_add(c, &chain, (*c->jni)->NewLocalRef(c->jni, klass), &added);
    } else {
        error = superclass_chain(c, klass, &chain);
    }
    for (jint i = 0; error == JVMTI_ERROR_NONE && i < chain.count; i++) {
        jint count = 0;
        jfieldID *fields = NULL;
        error = (*c->jvmti)->GetClassFields(c->jvmti, chain.items[i], &count, &fields);
        if (error == JVMTI_ERROR_NONE && position < count) {
            error = (*c->jvmti)->GetFieldName(c->jvmti, chain.items[i], fields[position], field_name, NULL, NULL);
            if (error == JVMTI_ERROR_NONE) {
                *declaring_class = census_class_name(c->jvmti, chain.items[i]);
            }
            census_free(c->jvmti, fields);
            break;
        }
        census_free(c->jvmti, fields);
        position -= count;
    }
    set_release(c, &chain);
    if (error == JVMTI_ERROR_NONE && *field_name == NULL) {
        error = JVMTI_ERROR_INVALID_FIELDID;
    }
    return error;
}

const class_info *census_class_of(const census *c, jlong class_tag) {
    if (TAG_TYPE(class_tag) != TAG_CLASS) {
        return NULL;
    }
    uint32_t index = TAG_INDEX(class_tag);
    return index < (uint32_t) c->class_count ? &c->classes[index] : NULL;
}

uint32_t census_class_index(const census *c, jlong class_tag) {
    return census_class_of(c, class_tag) != NULL ? TAG_INDEX(class_tag) : 0;
}

static jvmtiError special_field(census *c, jclass klass, jclass declaring, jstring name, jint *index,
                                jfieldID *id) {
    const char *chars = (*c->jni)->GetStringUTFChars(c->jni, name, NULL);
    if (chars == NULL) {
        return JVMTI_ERROR_OUT_OF_MEMORY;
    }
    jvmtiError error = field_index_of(c, klass, declaring, chars, index, id);
    (*c->jni)->ReleaseStringUTFChars(c->jni, name, chars);
    return error;
}

/* The position of the field named by the string name (NULL: none) among klass's own fields; -1 when absent. */
static jvmtiError own_field_named(census *c, jclass klass, jstring name, jint *position) {
    *position = -1;
    if (name == NULL) {
        return JVMTI_ERROR_NONE;
    }
    const char *chars = (*c->jni)->GetStringUTFChars(c->jni, name, NULL);
    if (chars == NULL) {
        return JVMTI_ERROR_OUT_OF_MEMORY;
    }
    jvmtiError error = own_field(c, klass, chars, position, NULL);
    (*c->jni)->ReleaseStringUTFChars(c->jni, name, chars);
    return error;
}

/*
 * For each kind, where its threshold and load factor fields are among its own fields, relative
 * to its table field: in an object of any class of the kind, a field's JVMTI index is the same
 * distance from the table's, since all three are declared by the kind's class.
 */
static jvmtiError threshold_offsets(census *c, const jclass *kind_classes, jobjectArray table_fields,
                                    jobjectArray threshold_fields, jobjectArray load_factor_fields,
                                    jint *threshold_offset, jint *load_factor_offset, int *has_threshold,
                                    int *has_load_factor) {
    jvmtiError error = JVMTI_ERROR_NONE;
    for (jint k = 0; k < c->kind_count && error == JVMTI_ERROR_NONE; k++) {
        has_threshold[k] = has_load_factor[k] = 0;
        if (kind_classes[k] == NULL) {
            continue;
        }
        jobjectArray names[3] = {table_fields, threshold_fields, load_factor_fields};
        jint positions[3] = {-1, -1, -1};
        int named[3] = {0, 0, 0};
        for (int n = 0; n < 3 && error == JVMTI_ERROR_NONE; n++) {
            jstring name = (jstring) (*c->jni)->GetObjectArrayElement(c->jni, names[n], k);
            named[n] = name != NULL;
            error = own_field_named(c, kind_classes[k], name, &positions[n]);
            (*c->jni)->DeleteLocalRef(c->jni, name);
        }
        /* Without a threshold, or with a load factor field that is not there, every table is read. */
        if (error == JVMTI_ERROR_NONE && positions[0] >= 0 && positions[1] >= 0) {
            if (!named[2] || positions[2] >= 0) {
                has_threshold[k] = 1;
                threshold_offset[k] = positions[1] - positions[0];
                has_load_factor[k] = named[2];
                load_factor_offset[k] = positions[2] - positions[0];
            }
        }
    }
    return error;
}

/*
 * Reads every loaded class into the class table, and tags the map classes with their index: the
 * scan that finds maps reports only objects whose class is tagged, so the others are tagged
 * after it (census_tag_classes(c, 0)).
 */
jvmtiError census_load_classes(census *c, jobjectArray kinds, jobjectArray table_fields, jobjectArray threshold_fields,
                               jobjectArray load_factor_fields, jintArray min_lengths, jobjectArray wrappers,
                               jobjectArray wrapped_fields) {
    JNIEnv *jni = c->jni;
    jvmtiError error = (*c->jvmti)->GetLoadedClasses(c->jvmti, &c->loaded_count, &c->loaded);
    if (error != JVMTI_ERROR_NONE) {
        return error;
    }
    if ((*jni)->EnsureLocalCapacity(jni, 256) != JNI_OK) {
        return JVMTI_ERROR_OUT_OF_MEMORY;
    }
    c->class_count = c->loaded_count + 1;
    error = (*c->jvmti)->Allocate(c->jvmti, (jlong) c->class_count * (jlong) sizeof(class_info),
                                  (unsigned char **) &c->classes);
    if (error != JVMTI_ERROR_NONE) {
        c->classes = NULL;
        c->class_count = 0;
        return error;
    }
    memset(c->classes, 0, (size_t) c->class_count * sizeof(class_info));

    jint kind_count = (*jni)->GetArrayLength(jni, kinds);
    jint wrapper_count = (*jni)->GetArrayLength(jni, wrappers);
    if (kind_count > MAX_KINDS || wrapper_count > MAX_KINDS) {
        return JVMTI_ERROR_ILLEGAL_ARGUMENT;
    }
    c->kind_count = kind_count;
    jclass kind_classes[MAX_KINDS];
    jclass wrapper_classes[MAX_KINDS];
    jint min_length[MAX_KINDS];
    jfieldID table_ids[MAX_KINDS];
    memset(table_ids, 0, sizeof table_ids);
    (*jni)->GetIntArrayRegion(jni, min_lengths, 0, kind_count, min_length);
    for (jint k = 0; k < kind_count; k++) {
        kind_classes[k] = (jclass) (*jni)->GetObjectArrayElement(jni, kinds, k);
    }
    for (jint w = 0; w < wrapper_count; w++) {
        wrapper_classes[w] = (jclass) (*jni)->GetObjectArrayElement(jni, wrappers, w);
    }
    jclass reference = (*jni)->FindClass(jni, "java/lang/ref/Reference");
    jclass soft = (*jni)->FindClass(jni, "java/lang/ref/SoftReference");
    jclass entry = (*jni)->FindClass(jni, "java/util/Map$Entry");
    jstring referent = (*jni)->NewStringUTF(jni, "referent");
    if (reference == NULL || soft == NULL || entry == NULL || referent == NULL || (*jni)->ExceptionCheck(jni)) {
        return JVMTI_ERROR_INTERNAL;
    }

    for (jint i = 1; i < c->class_count && error == JVMTI_ERROR_NONE; i++) {
        class_info *info = &c->classes[i];
        jclass klass = c->loaded[i - 1];
        info->klass = klass;
        info->kind = info->wrapper = -1;
        info->table_field = info->wrapped_field = info->referent_field = -1;
        info->threshold_field = info->load_factor_field = -1;
        info->declared_fields = -1;
        /* A class not prepared yet has no instances and no statics to hold anything. */
        jint status = 0;
        if ((*c->jvmti)->GetClassStatus(c->jvmti, klass, &status) != JVMTI_ERROR_NONE
                || !(status & (JVMTI_CLASS_STATUS_PREPARED | JVMTI_CLASS_STATUS_ARRAY | JVMTI_CLASS_STATUS_PRIMITIVE))) {
            continue;
        }
        jboolean yes = JNI_FALSE;
        if ((*c->jvmti)->IsArrayClass(c->jvmti, klass, &yes) == JVMTI_ERROR_NONE && yes) {
            info->flags |= C_ARRAY;
            continue;
        }
        if ((*c->jvmti)->IsInterface(c->jvmti, klass, &yes) == JVMTI_ERROR_NONE && yes) {
            info->flags |= C_INTERFACE;
            continue;
        }
        for (jint k = 0; k < kind_count; k++) {
            if ((*jni)->IsAssignableFrom(jni, klass, kind_classes[k])) {
                info->flags |= C_MAP;
                info->kind = (int16_t) k;
                info->min_table_length = min_length[k];
                break;
            }
        }
        for (jint w = 0; w < wrapper_count; w++) {
            if ((*jni)->IsAssignableFrom(jni, klass, wrapper_classes[w])) {
                info->flags |= C_WRAPPER;
                info->wrapper = (int16_t) w;
                break;
            }
        }
        if ((*jni)->IsAssignableFrom(jni, klass, reference) && !(*jni)->IsAssignableFrom(jni, klass, soft)) {
            info->flags |= C_WEAK;
        }
        if ((*jni)->IsAssignableFrom(jni, klass, entry)) {
            info->flags |= C_ENTRY;
        }
    }

    jint threshold_offset[MAX_KINDS] = {0};
    jint load_factor_offset[MAX_KINDS] = {0};
    int has_threshold[MAX_KINDS] = {0};
    int has_load_factor[MAX_KINDS] = {0};
    if (error == JVMTI_ERROR_NONE) {
        error = threshold_offsets(c, kind_classes, table_fields, threshold_fields, load_factor_fields,
                                  threshold_offset, load_factor_offset, has_threshold, has_load_factor);
    }

    /*
     * The field indices the callback compares with, for the few classes that need one. A class
     * whose fields cannot be read (unloaded meanwhile, say) is then just a class like any other.
     */
    for (jint i = 1; i < c->class_count && error == JVMTI_ERROR_NONE; i++) {
        class_info *info = &c->classes[i];
        jvmtiError failed = JVMTI_ERROR_NONE;
        if (info->flags & C_MAP) {
            jint k = info->kind;
            jstring name = (jstring) (*jni)->GetObjectArrayElement(jni, table_fields, k);
            jfieldID id = NULL;
            failed = special_field(c, info->klass, kind_classes[k], name, &info->table_field, &id);
            (*jni)->DeleteLocalRef(jni, name);
            if (id != NULL) {
                table_ids[k] = id;
            }
            info->table_id = table_ids[k];
            if (failed != JVMTI_ERROR_NONE || info->table_field < 0 || info->table_id == NULL) {
                info->flags &= (uint16_t) ~C_MAP; /* not the class the kind says: nothing to read */
            }
            if ((info->flags & C_MAP) && has_threshold[k]) {
                info->threshold_field = info->table_field + threshold_offset[k];
                info->load_factor_field = has_load_factor[k] ? info->table_field + load_factor_offset[k] : -1;
                info->min_threshold = info->min_table_length / 2 - 1;
            }
        }
        if (info->flags & C_WRAPPER) {
            jint w = info->wrapper;
            jstring name = (jstring) (*jni)->GetObjectArrayElement(jni, wrapped_fields, w);
            failed = special_field(c, info->klass, wrapper_classes[w], name, &info->wrapped_field, NULL);
            (*jni)->DeleteLocalRef(jni, name);
            if (failed != JVMTI_ERROR_NONE || info->wrapped_field < 0) {
                info->flags &= (uint16_t) ~C_WRAPPER;
            }
        }
        if (info->flags & C_WEAK) {
            failed = special_field(c, info->klass, reference, referent, &info->referent_field, NULL);
            if (failed != JVMTI_ERROR_NONE || info->referent_field < 0) {
                /* Unknown: the referent is then followed like a strong reference, never missed. */
                info->flags &= (uint16_t) ~C_WEAK;
                info->referent_field = -1;
            }
        }
        if ((*jni)->ExceptionCheck(jni)) {
            error = JVMTI_ERROR_INTERNAL;
        }
    }
    /* The map classes are tagged now, for the scan that finds their instances; the others after it. */
    if (error == JVMTI_ERROR_NONE) {
        error = census_tag_classes(c, 1);
    }
    for (jint k = 0; k < kind_count; k++) {
        (*jni)->DeleteLocalRef(jni, kind_classes[k]);
    }
    for (jint w = 0; w < wrapper_count; w++) {
        (*jni)->DeleteLocalRef(jni, wrapper_classes[w]);
    }
    (*jni)->DeleteLocalRef(jni, reference);
    (*jni)->DeleteLocalRef(jni, soft);
    (*jni)->DeleteLocalRef(jni, entry);
    (*jni)->DeleteLocalRef(jni, referent);
    return error;
}

/* Tags, with its index, every map class (maps: 1) or every other class (maps: 0). */
jvmtiError census_tag_classes(census *c, int maps) {
    jvmtiError error = JVMTI_ERROR_NONE;
    for (jint i = 1; i < c->class_count && error == JVMTI_ERROR_NONE; i++) {
        if (((c->classes[i].flags & C_MAP) != 0) == (maps != 0)) {
            error = (*c->jvmti)->SetTag(c->jvmti, c->classes[i].klass, TAG_CLASS | (jlong) i);
        }
    }
    return error;
}
