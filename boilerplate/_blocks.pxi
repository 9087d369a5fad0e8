# Included (``include "_blocks.pxi"``) by the compiled modules that read a page's blocks (``_features.pyx``,
# ``_kinds.pyx``): what both need of a block, written once.
#
# First, a Block's fields read straight from their slots.
#
# ``block.text`` in compiled code goes through Python's attribute lookup (the type's dictionary, then the
# field's descriptor), some 25 ns, and a page's passes read some 25 fields of each of its hundreds of
# blocks. Block is a dataclass with slots: each field sits at a fixed place in the object, which its
# descriptor records, so here a field is read from that place. Only for an object of exactly the Block
# class, whose every field __init__ sets; anything else (a subclass, which may turn a field into a
# property) is read by getattr, as Python reads it.

from cpython.object cimport PyObject, PyTypeObject, Py_TYPE

from . import templates as _block_templates
from .segmentation import Block as _SlottedBlock


cdef extern from "Python.h":
    ctypedef struct PyMemberDef:
        Py_ssize_t offset
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member


cdef PyTypeObject* _BLOCK_TYPE = <PyTypeObject*>_SlottedBlock


cdef Py_ssize_t _slot_of(str name) except -1:
    """Where Block keeps the field ``name``, in bytes from the start of the object.

    Raises ImportError where Block keeps it otherwise, so that the package falls back on its Python code.
    """
    descriptor = _SlottedBlock.__dict__.get(name)
    if type(descriptor).__name__ != "member_descriptor":
        raise ImportError(f"Block.{name} is not a slot of Block's own: the compiled passes cannot read it")
    return (<PyMemberDescrObject*>descriptor).d_member.offset


cdef inline object _field(object block, Py_ssize_t slot, str name):
    """``block.<name>``, read from its slot where the block is a Block."""
    cdef PyObject* value
    if Py_TYPE(block) == _BLOCK_TYPE:
        value = (<PyObject**>((<char*><PyObject*>block) + slot))[0]
        if value != NULL:
            return <object>value
    return getattr(block, name)


cdef Py_ssize_t _AT_TEXT = _slot_of("text"), _AT_TAG = _slot_of("tag"), _AT_XPATH = _slot_of("xpath")
cdef Py_ssize_t _AT_DEPTH = _slot_of("depth"), _AT_LINK_CHARS = _slot_of("link_chars")
cdef Py_ssize_t _AT_CLASSES = _slot_of("classes"), _AT_ANCESTOR_CLASSES = _slot_of("ancestor_classes")
cdef Py_ssize_t _AT_ANCESTOR_TAGS = _slot_of("ancestor_tags"), _AT_LANDMARKS = _slot_of("landmarks")
cdef Py_ssize_t _AT_CONTAINER = _slot_of("container"), _AT_TEMPLATE_ATTRS = _slot_of("template_attrs")


# Then the quick test of templates.find_tokens, so that a block's text without a template token's character
# costs no call into Python.
cdef tuple _TOKEN_HINTS = _block_templates.TOKEN_HINTS


cdef inline bint _may_hold_tokens(str text):
    """Whether find_tokens could find a token (templates.TOKEN_HINTS): its quick test, without the call."""
    cdef str hint
    for hint in _TOKEN_HINTS:
        if hint in text:
            return True
    return False
