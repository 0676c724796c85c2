using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Handbook.Editing;
using Handbook.GitStore;

namespace Handbook.Tests.Editing;

/// <summary>
/// One door for writes: read from the compiled app, which of its types call the store's write methods. Only the
/// commands service may (and the sync service, which integrates the upstream remote, not a worker's change).
/// Lambdas, async state machines and Razor components count as the type they are written in.
/// </summary>
public sealed class WriteDoorTests
{
    private static readonly string[] WriteMethods =
        [nameof(PageStore.SaveAsync), nameof(PageStore.RenameAsync), nameof(PageStore.DeleteAsync), nameof(PageStore.RestoreAsync), nameof(PageStore.SaveAttachmentAsync),
         nameof(PageStore.AddQuestionEntryAsync)];

    [Fact]
    public void OnlyPageCommands_CallsTheStoresWriteMethods()
    {
        var callers = CallersOf(typeof(PageCommands).Assembly.Location, typeof(PageStore).FullName!, WriteMethods);
        Assert.Contains(typeof(PageCommands).FullName!, callers.Keys);
        var others = callers.Where(c => c.Key != typeof(PageCommands).FullName).Select(c => $"{c.Key}: {string.Join(", ", c.Value)}").ToList();
        Assert.True(others.Count == 0, "write methods called outside PageCommands: " + string.Join("; ", others));
    }

    [Fact]
    public void TheScanFindsCallsWhereTheyAre()
    {
        // The test assembly itself calls the store's SaveAsync from async test methods (compiled into state machines).
        var callers = CallersOf(typeof(WriteDoorTests).Assembly.Location, typeof(PageStore).FullName!, WriteMethods);
        Assert.Contains(typeof(HistoryHttpTests).FullName!, callers.Keys);
        Assert.Contains(typeof(PageIsolationTests).FullName!, callers.Keys);
        Assert.DoesNotContain(typeof(WriteDoorTests).FullName!, callers.Keys);
    }

    /// <summary>For each top-level type of an assembly: which of <paramref name="methods"/> of <paramref name="target"/> its IL calls.</summary>
    private static Dictionary<string, SortedSet<string>> CallersOf(string assembly, string target, string[] methods)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var found = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            var owner = type;
            while (owner.GetDeclaringType() is { IsNil: false } declaring)
            {
                owner = md.GetTypeDefinition(declaring);
            }

            var ownerName = Name(md, owner.Namespace, owner.Name);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                foreach (var called in Calls(md, body.GetILReader()))
                {
                    if (called.Type == target && methods.Contains(called.Name))
                    {
                        (found.TryGetValue(ownerName, out var set) ? set : found[ownerName] = new SortedSet<string>(StringComparer.Ordinal)).Add(called.Name);
                    }
                }
            }
        }

        return found;
    }

    private static IEnumerable<(string Type, string Name)> Calls(MetadataReader md, BlobReader il)
    {
        while (il.RemainingBytes > 0)
        {
            var code = (ILOpCode)il.ReadByte();
            if ((byte)code == 0xFE)
            {
                code = (ILOpCode)(0xFE00 | il.ReadByte());
            }

            switch (code)
            {
                case ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn or ILOpCode.Ldvirtftn:
                    var handle = MetadataTokens.EntityHandle(il.ReadInt32());
                    if (handle.Kind == HandleKind.MemberReference)
                    {
                        var member = md.GetMemberReference((MemberReferenceHandle)handle);
                        if (member.Parent.Kind == HandleKind.TypeReference)
                        {
                            var parent = md.GetTypeReference((TypeReferenceHandle)member.Parent);
                            yield return (Name(md, parent.Namespace, parent.Name), md.GetString(member.Name));
                        }
                    }

                    break;
                case ILOpCode.Switch:
                    var count = il.ReadInt32();
                    il.Offset += count * 4;
                    break;
                default:
                    il.Offset += OperandSize(code);
                    break;
            }
        }
    }

    private static string Name(MetadataReader md, StringHandle ns, StringHandle name) =>
        md.GetString(ns) is { Length: > 0 } n ? n + "." + md.GetString(name) : md.GetString(name);

    private static int OperandSize(ILOpCode code) => code switch
    {
        ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s or ILOpCode.Stloc_s
            or ILOpCode.Ldc_i4_s or ILOpCode.Br_s or ILOpCode.Brfalse_s or ILOpCode.Brtrue_s or ILOpCode.Beq_s or ILOpCode.Bge_s
            or ILOpCode.Bgt_s or ILOpCode.Ble_s or ILOpCode.Blt_s or ILOpCode.Bne_un_s or ILOpCode.Bge_un_s or ILOpCode.Bgt_un_s
            or ILOpCode.Ble_un_s or ILOpCode.Blt_un_s or ILOpCode.Leave_s or ILOpCode.Unaligned => 1,
        ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc => 2,
        ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8 => 8,
        ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Br or ILOpCode.Brfalse or ILOpCode.Brtrue or ILOpCode.Beq or ILOpCode.Bge
            or ILOpCode.Bgt or ILOpCode.Ble or ILOpCode.Blt or ILOpCode.Bne_un or ILOpCode.Bge_un or ILOpCode.Bgt_un or ILOpCode.Ble_un
            or ILOpCode.Blt_un or ILOpCode.Leave or ILOpCode.Jmp or ILOpCode.Calli or ILOpCode.Ldstr or ILOpCode.Ldtoken or ILOpCode.Ldfld
            or ILOpCode.Ldflda or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld or ILOpCode.Castclass
            or ILOpCode.Isinst or ILOpCode.Box or ILOpCode.Unbox or ILOpCode.Unbox_any or ILOpCode.Newarr or ILOpCode.Ldelema
            or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Ldobj or ILOpCode.Stobj or ILOpCode.Cpobj or ILOpCode.Initobj
            or ILOpCode.Mkrefany or ILOpCode.Refanyval or ILOpCode.Sizeof or ILOpCode.Constrained => 4,
        _ => 0,
    };
}
