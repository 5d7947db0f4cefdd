import { Octokit } from "@octokit/rest";

const octokit = new Octokit({ auth: "{{key:github-fine-grained-pat}}" });

const { data } = await octokit.rest.repos.listForOrg({ org: "example" });
