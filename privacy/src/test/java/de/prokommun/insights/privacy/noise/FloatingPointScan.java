package de.prokommun.insights.privacy.noise;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a .class file (JVM spec, chapter 4) and lists every use of floating point: float/double constants in
 * the constant pool, float/double types in any field, method or call descriptor (which catches calls such as
 * Math.exp or Double.valueOf), references to Float/Double/StrictMath or a non-cryptographic Random, and every
 * float/double bytecode instruction. Test code only.
 */
final class FloatingPointScan {
    private FloatingPointScan() {}

    private static final Set<String> FORBIDDEN_CLASSES = Set.of("java/lang/Double", "java/lang/Float",
            "java/lang/StrictMath", "java/util/Random", "java/util/concurrent/ThreadLocalRandom", "java/util/SplittableRandom");

    static List<String> violations(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        List<String> found = new ArrayList<>();
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        List<Integer> descriptorIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3 -> in.readInt();
                case 4 -> { in.readInt(); found.add("float constant in the constant pool"); }
                case 5 -> { in.readLong(); i++; }
                case 6 -> { in.readLong(); i++; found.add("double constant in the constant pool"); }
                case 7 -> classNameIndex[i] = in.readUnsignedShort();
                case 8, 19, 20 -> in.readUnsignedShort();
                case 16 -> descriptorIndexes.add(in.readUnsignedShort());
                case 9, 10, 11, 17, 18 -> { in.readUnsignedShort(); in.readUnsignedShort(); }
                case 12 -> { in.readUnsignedShort(); descriptorIndexes.add(in.readUnsignedShort()); }
                case 15 -> { in.readUnsignedByte(); in.readUnsignedShort(); }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        for (int i = 1; i < count; i++) {
            if (classNameIndex[i] == 0) continue;
            String name = utf8[classNameIndex[i]];
            if (FORBIDDEN_CLASSES.contains(name) || name.startsWith("[F") || name.startsWith("[D"))
                found.add("reference to " + name);
        }
        for (int index : descriptorIndexes) checkDescriptor(utf8[index], "call descriptor", found);
        in.readUnsignedShort(); // access
        in.readUnsignedShort(); // this
        in.readUnsignedShort(); // super
        int interfaces = in.readUnsignedShort();
        for (int i = 0; i < interfaces; i++) in.readUnsignedShort();
        for (int kind = 0; kind < 2; kind++) {
            int members = in.readUnsignedShort();
            for (int m = 0; m < members; m++) {
                in.readUnsignedShort();
                String name = utf8[in.readUnsignedShort()];
                checkDescriptor(utf8[in.readUnsignedShort()], (kind == 0 ? "field " : "method ") + name, found);
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[in.readUnsignedShort()];
                    byte[] body = in.readNBytes(in.readInt());
                    if (attribute.equals("Code")) checkCode(body, name, found);
                }
            }
        }
        return found;
    }

    static void checkDescriptor(String descriptor, String where, List<String> found) {
        for (int i = 0; i < descriptor.length(); i++) {
            char c = descriptor.charAt(i);
            if (c == 'L') {
                i = descriptor.indexOf(';', i);
            } else if (c == 'F' || c == 'D') {
                found.add(where + " uses " + (c == 'F' ? "float" : "double") + ": " + descriptor);
                return;
            }
        }
    }

    private static final Set<Integer> FLOATING_OPCODES = Set.of(
            0x0b, 0x0c, 0x0d, 0x0e, 0x0f,                   // fconst_0..2, dconst_0..1
            0x17, 0x18, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, // fload, dload, fload_n, dload_n
            0x30, 0x31, 0x38, 0x39,                           // faload, daload, fstore, dstore
            0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, // fstore_n, dstore_n
            0x51, 0x52,                                       // fastore, dastore
            0x62, 0x63, 0x66, 0x67, 0x6a, 0x6b, 0x6e, 0x6f, 0x72, 0x73, 0x76, 0x77, // arithmetic
            0x86, 0x87, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, // conversions
            0x95, 0x96, 0x97, 0x98,                           // comparisons
            0xae, 0xaf);                                      // freturn, dreturn

    private static void checkCode(byte[] body, String method, List<String> found) {
        int length = ((body[4] & 0xFF) << 24) | ((body[5] & 0xFF) << 16) | ((body[6] & 0xFF) << 8) | (body[7] & 0xFF);
        int start = 8;
        int pc = 0;
        while (pc < length) {
            int op = body[start + pc] & 0xFF;
            if (FLOATING_OPCODES.contains(op)) found.add("method " + method + " executes opcode 0x" + Integer.toHexString(op) + " at " + pc);
            if (op == 0xbc) {
                int type = body[start + pc + 1];
                if (type == 6 || type == 7) found.add("method " + method + " creates a float/double array at " + pc);
            }
            if (op == 0xc4) {
                int widened = body[start + pc + 1] & 0xFF;
                if (FLOATING_OPCODES.contains(widened)) found.add("method " + method + " executes wide opcode 0x" + Integer.toHexString(widened));
            }
            pc += instructionLength(body, start, pc, op);
        }
    }

    private static int instructionLength(byte[] body, int start, int pc, int op) {
        if (op == 0xaa || op == 0xab) {
            int pad = (4 - ((pc + 1) % 4)) % 4;
            int base = start + pc + 1 + pad;
            if (op == 0xaa) {
                int low = readInt(body, base + 4), high = readInt(body, base + 8);
                return 1 + pad + 12 + 4 * (high - low + 1);
            }
            return 1 + pad + 8 + 8 * readInt(body, base + 4);
        }
        if (op == 0xc4) return (body[start + pc + 1] & 0xFF) == 0x84 ? 6 : 4;
        if (op == 0x10 || op == 0x12 || (op >= 0x15 && op <= 0x19) || (op >= 0x36 && op <= 0x3a) || op == 0xa9 || op == 0xbc) return 2;
        if (op == 0x11 || op == 0x13 || op == 0x14 || op == 0x84 || (op >= 0x99 && op <= 0xa8) || (op >= 0xb2 && op <= 0xb8)
                || op == 0xbb || op == 0xbd || op == 0xc0 || op == 0xc1 || op == 0xc6 || op == 0xc7) return 3;
        if (op == 0xc5) return 4;
        if (op == 0xb9 || op == 0xba || op == 0xc8 || op == 0xc9) return 5;
        return 1;
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
