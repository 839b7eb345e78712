using System.Net;
using EmailInfra.Core.Domains.Authentication;
using YamlDotNet.RepresentationModel;

namespace EmailInfra.Core.Tests.Domains;

/// <summary>The RFC 7208 test suite (openspf.org 2014.04, in ../shared/corpora/spf) against the evaluator, over its zone data in memory.</summary>
public class SpfSuiteTests
{
    private static readonly Lazy<List<(string Id, YamlMappingNode Test, SuiteZone Zone)>> Suite = new(Load);

    public static TheoryData<string> Cases() => new(Suite.Value.Select(c => c.Id));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rfc7208Suite(string id)
    {
        var (_, test, zone) = Suite.Value.Single(c => c.Id == id);
        var expected = test.Children[new YamlScalarNode("result")] switch
        {
            YamlSequenceNode many => many.Children.Select(n => ((YamlScalarNode)n).Value!).ToList(),
            var one => [((YamlScalarNode)one).Value!],
        };
        var result = await new SpfEvaluator(zone).CheckHostAsync(
            IPAddress.Parse(Scalar(test, "host")), Scalar(test, "mailfrom"), Scalar(test, "helo"), default);

        var verdict = result.Verdict.ToString().ToLowerInvariant();
        Assert.True(expected.Contains(verdict), $"{id}: expected {string.Join(" or ", expected)}, got {verdict} ({result.Problem}; record {result.Record})");
        if (verdict == "fail" && test.Children.TryGetValue(new YamlScalarNode("explanation"), out var explanation))
        {
            // "DEFAULT" names the receiver's own default text: no explanation from the domain
            var want = ((YamlScalarNode)explanation).Value;
            Assert.Equal(want == "DEFAULT" ? null : want, result.Explanation);
        }
    }

    [Fact]
    public void Suite_HasAllItsCases()
    {
        Assert.Equal(203, Suite.Value.Count);
        Assert.Equal(Suite.Value.Count, Suite.Value.Select(c => c.Id).Distinct().Count());
    }

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value ?? string.Empty : string.Empty;

    private static List<(string, YamlMappingNode, SuiteZone)> Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(SharedCorpora.Path("spf/rfc7208-tests.yml")))
        {
            stream.Load(reader);
        }

        var cases = new List<(string, YamlMappingNode, SuiteZone)>();
        foreach (var document in stream.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            var section = Scalar(root, "description");
            var zone = new SuiteZone((YamlMappingNode)root.Children[new YamlScalarNode("zonedata")]);
            foreach (var (name, test) in ((YamlMappingNode)root.Children[new YamlScalarNode("tests")]).Children)
            {
                cases.Add(($"{section}: {((YamlScalarNode)name).Value}", (YamlMappingNode)test, zone));
            }
        }

        return cases;
    }
}

/// <summary>
/// The suite's zone data as DNS, with the suite drivers' conventions: SPF-type records stand in for TXT where a name has
/// no TXT entry ("TXT: NONE" says it has none), TIMEOUT makes queries for types the name lacks time out, and CNAMEs are followed.
/// </summary>
internal sealed class SuiteZone : IDnsRecords
{
    private readonly Dictionary<string, List<(string Type, YamlNode? Value)>> names = new(StringComparer.OrdinalIgnoreCase);

    public SuiteZone(YamlMappingNode zonedata)
    {
        foreach (var (name, records) in zonedata.Children)
        {
            var list = new List<(string, YamlNode?)>();
            foreach (var record in ((YamlSequenceNode)records).Children)
            {
                if (record is YamlScalarNode { Value: "TIMEOUT" })
                {
                    list.Add(("TIMEOUT", null));
                }
                else
                {
                    var (type, value) = ((YamlMappingNode)record).Children.Single();
                    list.Add((((YamlScalarNode)type).Value!, value));
                }
            }

            names[((YamlScalarNode)name).Value!.TrimEnd('.')] = list;
        }
    }

    public Task<IReadOnlyList<string>> TxtAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Lookup(name, "TXT").Select(Text).Where(t => t is not null).Select(t => t!).ToList());

    public Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IPAddress>>(Lookup(name, ipv6 ? "AAAA" : "A").Select(v => IPAddress.Parse(((YamlScalarNode)v!).Value!)).ToList());

    public Task<IReadOnlyList<(int Preference, string Host)>> MxAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(int, string)>>(Lookup(name, "MX").Select(v =>
        {
            var pair = (YamlSequenceNode)v!;
            return (int.Parse(((YamlScalarNode)pair.Children[0]).Value!, System.Globalization.CultureInfo.InvariantCulture), ((YamlScalarNode)pair.Children[1]).Value!);
        }).ToList());

    public Task<IReadOnlyList<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Lookup(DomainAuditor.ReverseName(address), "PTR").Select(v => ((YamlScalarNode)v!).Value!).ToList());

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(names.ContainsKey(name.TrimEnd('.')));

    private List<YamlNode?> Lookup(string name, string type, int depth = 0)
    {
        if (!names.TryGetValue(name.TrimEnd('.'), out var records))
        {
            return [];
        }

        var found = records.Where(r => r.Type == type).Select(r => r.Value).ToList();
        if (type == "TXT" && found.Count == 0)
        {
            found = records.Where(r => r.Type == "SPF").Select(r => r.Value).ToList();
        }

        found = found.Where(v => v is not YamlScalarNode { Value: "NONE" }).ToList();
        if (found.Count > 0)
        {
            return found;
        }

        if (records.Any(r => r.Type == "TIMEOUT"))
        {
            throw new DnsTimeoutException($"{name} {type} timed out");
        }

        return records.FirstOrDefault(r => r.Type == "CNAME") is { Value: YamlScalarNode target } && depth < 8
            ? Lookup(target.Value!, type, depth + 1)
            : [];
    }

    private static string? Text(YamlNode? value) => value switch
    {
        YamlScalarNode scalar => scalar.Value,
        YamlSequenceNode { Children.Count: 0 } => null,
        YamlSequenceNode strings => string.Concat(strings.Children.Select(s => ((YamlScalarNode)s).Value)),
        _ => null,
    };
}
