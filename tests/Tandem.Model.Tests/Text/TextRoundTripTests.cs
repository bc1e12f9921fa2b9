using FsCheck;
using FsCheck.Fluent;
using Tandem.Model.Cib;
using Tandem.Model.Json;
using Tandem.Model.Text;

namespace Tandem.Model.Tests.Text;

public sealed class TextRoundTripTests
{
    internal static readonly Arbitrary<(int Seed, int Size)> Models =
        Arb.From(Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => (seed, Math.Max(1, size / 10)))));

    private static ClusterConfiguration Model((int Seed, int Size) input) => new RandomModels(input.Seed, input.Size).Build();

    [Fact]
    public void Print_then_parse_is_the_identity() =>
        Prop.ForAll(Models, input =>
        {
            var model = Model(input);
            var text = TextPrinter.Print(model);
            return (TextParser.Parse(text) == model).Label($"seed {input.Seed} size {input.Size}:\n{text}");
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Random_models_survive_CIB_export_and_import() =>
        Prop.ForAll(Models, input =>
        {
            var model = Model(input);
            return (CibImport.FromXml(CibExport.ToXml(model)).Configuration == model).Label($"seed {input.Seed} size {input.Size}");
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Random_models_survive_JSON() =>
        Prop.ForAll(Models, input =>
        {
            var model = Model(input);
            return (ConfigJson.Deserialize(ConfigJson.Serialize(model)).Configuration == model).Label($"seed {input.Seed} size {input.Size}");
        }).QuickCheckThrowOnFailure();
}
